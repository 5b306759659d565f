//! The market: listings of every kind, auctions (English and Dutch), bids and sales.

use super::{ApiPath, ApiQuery, AppState, Page, PageParams, page, parse_address_opt, parse_choice, parse_id};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// A listing.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ListingView {
    /// Listing id (decimal string).
    pub listing_id: String,
    /// `english`, `dutch` or `fixed`.
    pub kind: String,
    /// `open`, `sold`, `cancelled`, `unsold` or `failed`.
    pub status: String,
    /// Seller.
    pub seller: String,
    /// Collection of the listed item.
    pub nft: String,
    /// Token id of the listed item.
    pub token_id: String,
    /// English: reserve; Dutch: start price; fixed: the price.
    pub start_price: String,
    /// Dutch: floor price.
    pub floor_price: String,
    /// Start, seconds since the epoch.
    pub start_time: i64,
    /// English: end after anti-snipe extensions; Dutch: when the floor is reached; fixed: 0.
    pub end_time: i64,
    /// English: the high bidder.
    pub high_bidder: Option<String>,
    /// English: the high bid.
    pub high_bid: Option<String>,
    /// Bids placed.
    pub bid_count: i32,
    /// Block of creation.
    pub created_block: i64,
    /// Block where it closed.
    pub closed_block: Option<i64>,
    /// Open fixed-price listings: the price; open Dutch auctions: the price at `price_time` (linear from start to
    /// floor, as the contract computes it); otherwise absent.
    pub current_price: Option<String>,
    /// The chain time `current_price` is computed at: the latest mirrored block's.
    pub price_time: i64,
}

/// A bid.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct BidView {
    /// Listing id.
    pub listing_id: String,
    /// Bidder.
    pub bidder: String,
    /// Amount, base units.
    pub amount: String,
    /// The bidder outbid (zero address for the first bid).
    pub previous_bidder: String,
    /// Their bid, now credited back.
    pub previous_amount: String,
    /// Auction end after this bid.
    pub end_time: i64,
    /// Block.
    pub block_number: i64,
    /// Log index.
    pub log_index: i64,
    /// Transaction.
    pub tx_hash: String,
    /// Block time.
    pub block_time: i64,
}

/// A sale: `price` = seller proceeds + `fee` + `royalty`, in `currency`.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SaleView {
    /// Listing id.
    pub listing_id: String,
    /// Kind of the listing.
    pub kind: String,
    /// Seller.
    pub seller: String,
    /// Buyer.
    pub buyer: String,
    /// Collection.
    pub nft: String,
    /// Token id.
    pub token_id: String,
    /// The item's class (suite items only).
    pub item_class: Option<i32>,
    /// Currency (ERC-20) address.
    pub currency: String,
    /// Price, base units.
    pub price: String,
    /// Protocol fee.
    pub fee: String,
    /// Royalty.
    pub royalty: String,
    /// Royalty receiver.
    pub royalty_receiver: String,
    /// Block.
    pub block_number: i64,
    /// Log index.
    pub log_index: i64,
    /// Transaction.
    pub tx_hash: String,
    /// Block time.
    pub block_time: i64,
}

/// Filters of listings and auctions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingFilter {
    /// Listings: `open`, `sold`, `cancelled`, `unsold`, `failed`. Auctions: `open` or `ended` (anything closed).
    pub status: Option<String>,
    /// Listings: `english`, `dutch`, `fixed`. Auctions: `english`, `dutch`.
    pub kind: Option<String>,
    /// Only this seller's.
    pub seller: Option<String>,
    /// Cursor (a listing id).
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

/// Filters of bids.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BidFilter {
    /// Only bids on this listing.
    pub listing: Option<String>,
    /// Only this bidder's.
    pub bidder: Option<String>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

/// Filters of sales.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaleFilter {
    /// Only this seller's.
    pub seller: Option<String>,
    /// Only this buyer's.
    pub buyer: Option<String>,
    /// Only sales of this token id.
    pub token_id: Option<String>,
    /// Only sales of items of this class.
    pub class: Option<String>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

const LISTING_COLUMNS: &str = "listing_id::text AS listing_id, kind, status, hex0x(seller) AS seller, hex0x(nft) AS nft,
    token_id::text AS token_id, start_price::text AS start_price, floor_price::text AS floor_price, start_time, end_time,
    hex0x(high_bidder) AS high_bidder, high_bid::text AS high_bid, bid_count, created_block, closed_block,
    (CASE WHEN status <> 'open' THEN NULL
          WHEN kind = 'fixed' THEN start_price
          WHEN kind = 'dutch' AND now_time >= end_time THEN floor_price
          WHEN kind = 'dutch' THEN start_price - div((start_price - floor_price) * (GREATEST(now_time, start_time) - start_time),
                                                     end_time - start_time)
     END)::text AS current_price,
    now_time AS price_time";

/// The chain time of the latest mirrored block, as `now_time` (the listing queries bind the chain as $1).
const NOW: &str = "(SELECT COALESCE((SELECT timestamp FROM blocks WHERE chain = $1 ORDER BY number DESC LIMIT 1), 0)
    AS now_time) now";

async fn list(
    s: &AppState,
    statuses: &[&str],
    kinds: &[&str],
    seller: Option<Vec<u8>>,
    params: PageParams,
) -> Result<Page<ListingView>, ApiError> {
    let limit = params.limit()?;
    let before = params.id_cursor()?;
    let rows = sqlx::query_as::<_, ListingView>(&format!(
        "SELECT {LISTING_COLUMNS} FROM listings, {NOW}
         WHERE chain = $1 AND status = ANY($2) AND kind = ANY($3) AND ($4::bytea IS NULL OR seller = $4)
               AND ($5::numeric IS NULL OR listing_id < $5::numeric)
         ORDER BY listing_id DESC LIMIT $6"
    ))
    .bind(&s.chain)
    .bind(statuses)
    .bind(kinds)
    .bind(seller)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(page(rows, limit, |r| r.listing_id.clone()))
}

const STATUSES: [&str; 5] = ["open", "sold", "cancelled", "unsold", "failed"];

#[utoipa::path(get, path = "/v1/listings", params(ListingFilter),
    responses((status = 200, body = Page<ListingView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn listings(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<ListingFilter>,
) -> Result<Json<Page<ListingView>>, ApiError> {
    let status = parse_choice(&f.status, &STATUSES, "invalid_status")?;
    let kind = parse_choice(&f.kind, &["english", "dutch", "fixed"], "invalid_kind")?;
    let seller = parse_address_opt(&f.seller)?;
    let statuses: Vec<&str> = status.map_or(STATUSES.to_vec(), |s| vec![s]);
    let kinds: Vec<&str> = kind.map_or(vec!["english", "dutch", "fixed"], |k| vec![k]);
    Ok(Json(list(&s, &statuses, &kinds, seller, PageParams { cursor: f.cursor, limit: f.limit }).await?))
}

#[utoipa::path(get, path = "/v1/auctions", params(ListingFilter),
    responses((status = 200, body = Page<ListingView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn auctions(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<ListingFilter>,
) -> Result<Json<Page<ListingView>>, ApiError> {
    let status = parse_choice(&f.status, &["open", "ended"], "invalid_status")?;
    let kind = parse_choice(&f.kind, &["english", "dutch"], "invalid_kind")?;
    let seller = parse_address_opt(&f.seller)?;
    let statuses: Vec<&str> = match status {
        Some("open") => vec!["open"],
        Some(_) => STATUSES[1..].to_vec(),
        None => STATUSES.to_vec(),
    };
    let kinds: Vec<&str> = kind.map_or(vec!["english", "dutch"], |k| vec![k]);
    Ok(Json(list(&s, &statuses, &kinds, seller, PageParams { cursor: f.cursor, limit: f.limit }).await?))
}

#[utoipa::path(get, path = "/v1/listings/{id}", params(("id" = String, Path, description = "decimal listing id")),
    responses((status = 200, body = ListingView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn listing(State(s): State<AppState>, ApiPath(id): ApiPath) -> Result<Json<ListingView>, ApiError> {
    let id = parse_id(&id)?;
    let row = sqlx::query_as::<_, ListingView>(&format!(
        "SELECT {LISTING_COLUMNS} FROM listings, {NOW} WHERE chain = $1 AND listing_id = $2::numeric LIMIT 1"
    ))
    .bind(&s.chain)
    .bind(&id)
    .fetch_optional(&s.pool)
    .await?;
    row.map(Json).ok_or_else(|| ApiError::not_found(format!("no listing {id}")))
}

#[utoipa::path(get, path = "/v1/bids", params(BidFilter),
    responses((status = 200, body = Page<BidView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn bids(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<BidFilter>,
) -> Result<Json<Page<BidView>>, ApiError> {
    let listing = f.listing.as_deref().map(parse_id).transpose()?;
    let bidder = parse_address_opt(&f.bidder)?;
    let params = PageParams { cursor: f.cursor, limit: f.limit };
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, BidView>(
        "SELECT listing_id::text AS listing_id, hex0x(bidder) AS bidder, amount::text AS amount,
                hex0x(previous_bidder) AS previous_bidder, previous_amount::text AS previous_amount, end_time,
                block_number, log_index, hex0x(tx_hash) AS tx_hash, block_time
         FROM bids WHERE chain = $1 AND ($2::numeric IS NULL OR listing_id = $2::numeric)
              AND ($3::bytea IS NULL OR bidder = $3) AND (block_number, log_index) < ($4, $5)
         ORDER BY block_number DESC, log_index DESC LIMIT $6",
    )
    .bind(&s.chain)
    .bind(listing)
    .bind(bidder)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}

#[utoipa::path(get, path = "/v1/sales", params(SaleFilter),
    responses((status = 200, body = Page<SaleView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn sales(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<SaleFilter>,
) -> Result<Json<Page<SaleView>>, ApiError> {
    let seller = parse_address_opt(&f.seller)?;
    let buyer = parse_address_opt(&f.buyer)?;
    let token_id = f.token_id.as_deref().map(parse_id).transpose()?;
    let class = f
        .class
        .as_deref()
        .map(|c| {
            c.parse::<u16>()
                .map(i32::from)
                .map_err(|_| ApiError::bad_request("invalid_class", format!("{c:?} is not a class (0..=65535)")))
        })
        .transpose()?;
    let params = PageParams { cursor: f.cursor, limit: f.limit };
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, SaleView>(
        "SELECT listing_id::text AS listing_id, kind, hex0x(seller) AS seller, hex0x(buyer) AS buyer, hex0x(nft) AS nft,
                token_id::text AS token_id, item_class, hex0x(currency) AS currency, price::text AS price,
                fee::text AS fee, royalty::text AS royalty, hex0x(royalty_receiver) AS royalty_receiver,
                block_number, log_index, hex0x(tx_hash) AS tx_hash, block_time
         FROM sales WHERE chain = $1 AND ($2::bytea IS NULL OR seller = $2) AND ($3::bytea IS NULL OR buyer = $3)
              AND ($4::numeric IS NULL OR token_id = $4::numeric) AND ($5::int IS NULL OR item_class = $5)
              AND (block_number, log_index) < ($6, $7)
         ORDER BY block_number DESC, log_index DESC LIMIT $8",
    )
    .bind(&s.chain)
    .bind(seller)
    .bind(buyer)
    .bind(token_id)
    .bind(class)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}
