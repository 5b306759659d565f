//! Accounts (balance, voting power, items owned) and items (attributes, owner, history).

use super::{ApiPath, ApiQuery, AppState, Page, PageParams, page, parse_address, parse_address_opt, parse_id};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// An account's currency balance, voting power and item count. Every valid address has one (zeros if unseen).
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AccountView {
    /// The address.
    pub address: String,
    /// Currency balance, base units (decimal string).
    pub balance: String,
    /// Voting power delegated to this account, base units.
    pub voting_power: String,
    /// Whom this account delegates to, if anyone.
    pub delegate: Option<String>,
    /// Items of the suite's collection this account owns (escrowed items belong to the auction house).
    pub items_owned: i64,
}

/// An item with its attributes and owner.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ItemView {
    /// The collection (ERC-721) address.
    pub collection: String,
    /// Token id (decimal string).
    pub token_id: String,
    /// Current owner.
    pub owner: String,
    /// Item class.
    pub class: Option<i32>,
    /// Rarity 0..4.
    pub rarity: Option<i32>,
    /// Power.
    pub power: Option<i64>,
    /// Block of the mint.
    pub minted_block: i64,
    /// Solana: the item's mint (the PDA `["item_mint", token_id]`); absent on EVM.
    pub mint: Option<String>,
}

/// One event in an item's history: a transfer or a sale.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ItemEvent {
    /// `transfer` or `sale`.
    pub kind: String,
    /// Block.
    pub block_number: i64,
    /// Log index in the block.
    pub log_index: i64,
    /// Transaction.
    pub tx_hash: String,
    /// Block time, seconds since the epoch.
    pub block_time: i64,
    /// From (transfer) or seller (sale).
    pub from: String,
    /// To (transfer) or buyer (sale).
    pub to: String,
    /// Sale price (sales only).
    pub price: Option<String>,
}

/// Filters of the item list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemFilter {
    /// Only items owned by this address.
    pub owner: Option<String>,
    /// Only items of this class.
    pub class: Option<String>,
    /// Cursor (a token id).
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

#[utoipa::path(get, path = "/v1/accounts/{address}", params(("address" = String, Path, description = "0x address")),
    responses((status = 200, body = AccountView), (status = 400, body = ErrorBody)))]
pub(crate) async fn account(
    State(s): State<AppState>,
    ApiPath(address): ApiPath,
) -> Result<Json<AccountView>, ApiError> {
    let address = parse_address(&address)?.to_vec();
    let view = sqlx::query_as::<_, AccountView>(
        "SELECT hex0x($2) AS address, COALESCE(a.balance, 0)::text AS balance,
                COALESCE(a.votes, 0)::text AS voting_power, hex0x(a.delegate) AS delegate,
                (SELECT count(*) FROM items i WHERE i.chain = $1 AND i.owner = $2) AS items_owned
         FROM (SELECT 1) one LEFT JOIN accounts a ON a.chain = $1 AND a.address = $2",
    )
    .bind(&s.chain)
    .bind(address)
    .fetch_one(&s.pool)
    .await?;
    Ok(Json(view))
}

async fn list_items(
    s: &AppState,
    owner: Option<Vec<u8>>,
    class: Option<i32>,
    params: PageParams,
) -> Result<Page<ItemView>, ApiError> {
    let limit = params.limit()?;
    let after = params.id_cursor()?;
    let rows = sqlx::query_as::<_, ItemView>(
        "SELECT hex0x(collection) AS collection, token_id::text AS token_id, hex0x(owner) AS owner, class, rarity, power,
                minted_block, hex0x(mint) AS mint
         FROM items WHERE chain = $1 AND ($2::bytea IS NULL OR owner = $2) AND ($3::int IS NULL OR class = $3)
              AND ($4::numeric IS NULL OR token_id > $4::numeric)
         ORDER BY token_id LIMIT $5",
    )
    .bind(&s.chain)
    .bind(owner)
    .bind(class)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(page(rows, limit, |r| r.token_id.clone()))
}

#[utoipa::path(get, path = "/v1/accounts/{address}/items", params(("address" = String, Path), PageParams),
    responses((status = 200, body = Page<ItemView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn account_items(
    State(s): State<AppState>,
    ApiPath(address): ApiPath,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Page<ItemView>>, ApiError> {
    let owner = parse_address(&address)?.to_vec();
    Ok(Json(list_items(&s, Some(owner), None, params).await?))
}

#[utoipa::path(get, path = "/v1/items", params(ItemFilter),
    responses((status = 200, body = Page<ItemView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn items(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<ItemFilter>,
) -> Result<Json<Page<ItemView>>, ApiError> {
    let owner = parse_address_opt(&f.owner)?;
    let class = f
        .class
        .as_deref()
        .map(|c| {
            c.parse::<u16>()
                .map(i32::from)
                .map_err(|_| ApiError::bad_request("invalid_class", format!("{c:?} is not a class (0..=65535)")))
        })
        .transpose()?;
    Ok(Json(list_items(&s, owner, class, PageParams { cursor: f.cursor, limit: f.limit }).await?))
}

#[utoipa::path(get, path = "/v1/items/{id}", params(("id" = String, Path, description = "decimal token id")),
    responses((status = 200, body = ItemView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn item(State(s): State<AppState>, ApiPath(id): ApiPath) -> Result<Json<ItemView>, ApiError> {
    let id = parse_id(&id)?;
    let row = sqlx::query_as::<_, ItemView>(
        "SELECT hex0x(collection) AS collection, token_id::text AS token_id, hex0x(owner) AS owner, class, rarity, power,
                minted_block, hex0x(mint) AS mint
         FROM items WHERE chain = $1 AND token_id = $2::numeric ORDER BY collection LIMIT 1",
    )
    .bind(&s.chain)
    .bind(&id)
    .fetch_optional(&s.pool)
    .await?;
    row.map(Json).ok_or_else(|| ApiError::not_found(format!("no item {id}")))
}

#[utoipa::path(get, path = "/v1/items/{id}/history", params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<ItemEvent>), (status = 400, body = ErrorBody)))]
pub(crate) async fn item_history(
    State(s): State<AppState>,
    ApiPath(id): ApiPath,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Page<ItemEvent>>, ApiError> {
    let id = parse_id(&id)?;
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, ItemEvent>(
        "SELECT * FROM (
            SELECT 'transfer' AS kind, block_number, log_index, hex0x(tx_hash) AS tx_hash, block_time,
                   hex0x(from_address) AS \"from\", hex0x(to_address) AS \"to\", NULL::text AS price
            FROM transfers WHERE chain = $1 AND asset = 'item' AND token_id = $2::numeric
            UNION ALL
            SELECT 'sale', block_number, log_index, hex0x(tx_hash), block_time, hex0x(seller), hex0x(buyer), price::text
            FROM sales WHERE chain = $1 AND token_id = $2::numeric
         ) h WHERE (block_number, log_index) < ($3, $4) ORDER BY block_number DESC, log_index DESC LIMIT $5",
    )
    .bind(&s.chain)
    .bind(&id)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}
