//! Prices per collection and per item class (floor, last sale, volume, trades, VWAP over 24 h and 7 d, with a
//! plain-language explanation against the prior period), OHLC candles, and the wash-trade flags. Wash trades
//! (flagged at ingest, see `crate::wash`) are excluded unless `include_wash=true`. Times are chain time: "now" is
//! the latest mirrored block's timestamp.

use super::{ApiPath, ApiQuery, AppState, Page, PageParams, page, parse_address, parse_choice};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::QueryAs;

/// What a price answer is about.
enum Scope {
    /// Sales and listings of one collection (ERC-721 address).
    Collection(Vec<u8>),
    /// Sales and listings of items of one class.
    Class(i32),
}

impl Scope {
    /// Condition on `sales s`, with the scope bound as $2.
    fn sales(&self) -> &'static str {
        match self {
            Self::Collection(_) => "s.nft = $2",
            Self::Class(_) => "s.item_class = $2",
        }
    }

    /// Condition on `listings l`, with the scope bound as $2.
    fn listings(&self) -> &'static str {
        match self {
            Self::Collection(_) => "l.nft = $2",
            Self::Class(_) => {
                "EXISTS (SELECT 1 FROM items i WHERE i.chain = l.chain AND i.collection = l.nft
                         AND i.token_id = l.token_id AND i.class = $2)"
            }
        }
    }

    /// The scope in a cache key.
    fn key(&self) -> String {
        match self {
            Self::Collection(a) => format!("n{}", alloy::hex::encode(a)),
            Self::Class(c) => format!("k{c}"),
        }
    }

    fn bind<'q, O>(&self, q: QueryAs<'q, Postgres, O, PgArguments>) -> QueryAs<'q, Postgres, O, PgArguments> {
        match self {
            Self::Collection(a) => q.bind(a.clone()),
            Self::Class(c) => q.bind(*c),
        }
    }
}

fn parse_class(text: &str) -> Result<i32, ApiError> {
    text.parse::<u16>()
        .map(i32::from)
        .map_err(|_| ApiError::bad_request("invalid_class", format!("{text:?} is not a class (0..=65535)")))
}

fn parse_bool(text: &Option<String>) -> Result<bool, ApiError> {
    match text.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(t) => {
            Err(ApiError::bad_request("invalid_include_wash", format!("include_wash must be true or false, not {t:?}")))
        }
    }
}

/// The wash filter on `sales s`, with `include_wash` bound as $3.
const NOT_WASH: &str = "($3 OR NOT EXISTS (SELECT 1 FROM wash_trades w WHERE w.chain = s.chain
    AND w.sale_block = s.block_number AND w.sale_log = s.log_index))";

/// Price options.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriceParams {
    /// `true` to count wash trades (default `false`).
    pub include_wash: Option<String>,
}

/// Prices of a collection or class at `now_time`. Amounts are base units (decimal strings); windows are
/// `(now_time - 24 h, now_time]` and `(now_time - 7 d, now_time]`, the prior ones the same length just before.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PriceView {
    /// The latest mirrored block's time: the "now" of the windows and of Dutch prices.
    pub now_time: i64,
    /// Whether wash trades were counted.
    pub include_wash: bool,
    /// Lowest open fixed price or current Dutch price; absent when nothing is listed.
    pub floor: Option<String>,
    /// The latest sale's price.
    pub last_sale_price: Option<String>,
    /// The latest sale's block time.
    pub last_sale_time: Option<i64>,
    /// Sum of sale prices over the last 24 h.
    pub volume_24h: String,
    /// Sales over the last 24 h.
    pub trades_24h: i64,
    /// Volume-weighted average price over the last 24 h (each sale is one item: volume / trades, rounded down).
    pub vwap_24h: Option<String>,
    /// Sum of sale prices over the last 7 d.
    pub volume_7d: String,
    /// Sales over the last 7 d.
    pub trades_7d: i64,
    /// VWAP over the last 7 d.
    pub vwap_7d: Option<String>,
    /// Sales in the 7 d before the last 7 d.
    pub prior_trades_7d: i64,
    /// VWAP in the 7 d before the last 7 d.
    pub prior_vwap_7d: Option<String>,
    /// Sales in the 24 h before the last 24 h.
    pub prior_trades_24h: i64,
    /// VWAP in the 24 h before the last 24 h.
    pub prior_vwap_24h: Option<String>,
    /// What moved the price, in words (see the README).
    #[sqlx(skip)]
    pub explanation: String,
}

/// Percentage change from `prior` to `now`, rounded to the nearest integer (`None` when there is no prior).
pub fn change_percent(now: &str, prior: &str) -> Option<i64> {
    let (n, p) = (now.parse::<f64>().ok()?, prior.parse::<f64>().ok()?);
    (p > 0.0).then(|| ((n / p - 1.0) * 100.0).round() as i64)
}

fn signed(percent: i64) -> String {
    if percent < 0 { format!("\u{2212}{}%", -percent) } else { format!("+{percent}%") }
}

/// The explanation of one window: "7-day VWAP 104 (−8%): 12 sales; demand down 30% on the prior week".
pub fn explain_window(
    label: &str,
    period: &str,
    vwap: Option<&str>,
    trades: i64,
    prior_vwap: Option<&str>,
    prior_trades: i64,
) -> String {
    let Some(vwap) = vwap else {
        return if prior_trades > 0 {
            format!("{label}: no sales (after {prior_trades} in the prior {period})")
        } else {
            format!("{label}: no sales")
        };
    };
    let move_ = prior_vwap.and_then(|p| change_percent(vwap, p)).map_or(String::new(), |c| format!(" ({})", signed(c)));
    let demand = match change_percent(&trades.to_string(), &prior_trades.to_string()) {
        None => format!("no sales in the prior {period}"),
        Some(0) => format!("demand flat on the prior {period}"),
        Some(c) if c > 0 => format!("demand up {c}% on the prior {period}"),
        Some(c) => format!("demand down {}% on the prior {period}", -c),
    };
    let sales = if trades == 1 { "1 sale".to_owned() } else { format!("{trades} sales") };
    format!("{label} {vwap}{move_}: {sales}; {demand}")
}

impl PriceView {
    fn explain(&mut self) {
        let week = explain_window(
            "7-day VWAP",
            "week",
            self.vwap_7d.as_deref(),
            self.trades_7d,
            self.prior_vwap_7d.as_deref(),
            self.prior_trades_7d,
        );
        let day = explain_window(
            "24-hour VWAP",
            "day",
            self.vwap_24h.as_deref(),
            self.trades_24h,
            self.prior_vwap_24h.as_deref(),
            self.prior_trades_24h,
        );
        let floor = self.floor.as_ref().map_or("nothing listed".to_owned(), |f| format!("floor {f}"));
        let wash = if self.include_wash { "wash trades included" } else { "wash trades excluded" };
        self.explanation = format!("{week}. {day}. {floor}; {wash}.");
    }
}

async fn prices(s: &AppState, scope: Scope, include_wash: bool) -> Result<PriceView, ApiError> {
    let (sales, listings) = (scope.sales(), scope.listings());
    let sql = format!(
        "WITH now AS (SELECT COALESCE((SELECT timestamp FROM blocks WHERE chain = $1 ORDER BY number DESC LIMIT 1), 0) AS t),
         w AS (SELECT
             COALESCE(sum(s.price) FILTER (WHERE s.block_time > now.t - 86400), 0) AS v1,
             count(*) FILTER (WHERE s.block_time > now.t - 86400) AS n1,
             COALESCE(sum(s.price) FILTER (WHERE s.block_time <= now.t - 86400 AND s.block_time > now.t - 172800), 0) AS pv1,
             count(*) FILTER (WHERE s.block_time <= now.t - 86400 AND s.block_time > now.t - 172800) AS pn1,
             COALESCE(sum(s.price) FILTER (WHERE s.block_time > now.t - 604800), 0) AS v7,
             count(*) FILTER (WHERE s.block_time > now.t - 604800) AS n7,
             COALESCE(sum(s.price) FILTER (WHERE s.block_time <= now.t - 604800), 0) AS pv7,
             count(*) FILTER (WHERE s.block_time <= now.t - 604800) AS pn7
           FROM now, sales s
           WHERE s.chain = $1 AND {sales} AND s.block_time > now.t - 1209600 AND s.block_time <= now.t AND {NOT_WASH}),
         last AS (SELECT s.price, s.block_time FROM sales s WHERE s.chain = $1 AND {sales} AND {NOT_WASH}
                  ORDER BY s.block_number DESC, s.log_index DESC LIMIT 1)
         SELECT now.t AS now_time, $3 AS include_wash,
           (SELECT min(CASE WHEN l.kind = 'fixed' THEN l.start_price
                            WHEN now.t >= l.end_time THEN l.floor_price
                            ELSE l.start_price - div((l.start_price - l.floor_price)
                                 * (GREATEST(now.t, l.start_time) - l.start_time), l.end_time - l.start_time) END)
            FROM listings l WHERE l.chain = $1 AND l.status = 'open' AND l.kind IN ('fixed', 'dutch') AND {listings})::text AS floor,
           (SELECT price FROM last)::text AS last_sale_price, (SELECT block_time FROM last) AS last_sale_time,
           w.v1::text AS volume_24h, w.n1 AS trades_24h, (CASE WHEN w.n1 > 0 THEN div(w.v1, w.n1) END)::text AS vwap_24h,
           w.v7::text AS volume_7d, w.n7 AS trades_7d, (CASE WHEN w.n7 > 0 THEN div(w.v7, w.n7) END)::text AS vwap_7d,
           w.pn7 AS prior_trades_7d, (CASE WHEN w.pn7 > 0 THEN div(w.pv7, w.pn7) END)::text AS prior_vwap_7d,
           w.pn1 AS prior_trades_24h, (CASE WHEN w.pn1 > 0 THEN div(w.pv1, w.pn1) END)::text AS prior_vwap_24h
         FROM now, w"
    );
    let query = sqlx::query_as::<_, PriceView>(&sql).bind(&s.chain);
    let mut view = scope.bind(query).bind(include_wash).fetch_one(&s.pool).await?;
    view.explain();
    Ok(view)
}

#[utoipa::path(get, path = "/v1/prices/collections/{address}",
    params(("address" = String, Path, description = "collection (ERC-721) address"), PriceParams),
    responses((status = 200, body = PriceView), (status = 400, body = ErrorBody)))]
pub(crate) async fn collection_prices(
    State(s): State<AppState>,
    ApiPath(address): ApiPath,
    ApiQuery(p): ApiQuery<PriceParams>,
) -> Result<Response, ApiError> {
    let scope = Scope::Collection(parse_address(&address)?.to_vec());
    cached_prices(&s, scope, parse_bool(&p.include_wash)?).await
}

#[utoipa::path(get, path = "/v1/prices/classes/{class}",
    params(("class" = String, Path, description = "item class, 0..=65535"), PriceParams),
    responses((status = 200, body = PriceView), (status = 400, body = ErrorBody)))]
pub(crate) async fn class_prices(
    State(s): State<AppState>,
    ApiPath(class): ApiPath,
    ApiQuery(p): ApiQuery<PriceParams>,
) -> Result<Response, ApiError> {
    let scope = Scope::Class(parse_class(&class)?);
    cached_prices(&s, scope, parse_bool(&p.include_wash)?).await
}

/// The answer serialized once, as the cache keeps it.
fn to_json<T: Serialize>(value: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value).map(Bytes::from).map_err(ApiError::internal)
}

/// Prices through the answer cache (`super::cache`): computed once per indexed head.
async fn cached_prices(s: &AppState, scope: Scope, include_wash: bool) -> Result<Response, ApiError> {
    let key = format!("prices|{}|{include_wash}", scope.key());
    s.cache.json(&s.pool, &s.chain, key, async { to_json(&prices(s, scope, include_wash).await?) }).await
}

/// Candle options.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandleParams {
    /// `1m`, `1h` or `1d` (required).
    pub interval: Option<String>,
    /// First second (chain time, inclusive; default 0).
    pub from: Option<String>,
    /// Last second (chain time, exclusive; default: no bound).
    pub to: Option<String>,
    /// `true` to count wash trades (default `false`).
    pub include_wash: Option<String>,
    /// Cursor: the start of the last candle of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1..=500 (default 50).
    pub limit: Option<String>,
}

/// One OHLC candle: the sales whose block time is in `[start, start + interval)`, in chain order. Only intervals
/// with sales have a candle.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Candle {
    /// Interval start, seconds (chain time).
    pub start: i64,
    /// First sale's price.
    pub open: String,
    /// Highest price.
    pub high: String,
    /// Lowest price.
    pub low: String,
    /// Last sale's price.
    pub close: String,
    /// Sum of prices.
    pub volume: String,
    /// Number of sales.
    pub trades: i64,
    /// volume / trades, rounded down.
    pub vwap: String,
    /// What happened in the interval, in words.
    #[sqlx(skip)]
    pub explanation: String,
}

fn parse_time(text: &Option<String>, name: &str, default: i64) -> Result<i64, ApiError> {
    match text {
        None => Ok(default),
        Some(t) => t.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_time",
                format!("{name} must be seconds since the epoch (chain time), not {t:?}"),
            )
        }),
    }
}

/// Validated candle parameters.
struct CandleQuery {
    width: i64,
    include_wash: bool,
    from: i64,
    to: i64,
    limit: i64,
}

fn parse_candles(p: CandleParams) -> Result<CandleQuery, ApiError> {
    let width = match parse_choice(&p.interval, &["1m", "1h", "1d"], "invalid_interval")? {
        Some("1m") => 60i64,
        Some("1h") => 3_600,
        Some(_) => 86_400,
        None => return Err(ApiError::bad_request("invalid_interval", "interval is required: 1m, 1h or 1d")),
    };
    let include_wash = parse_bool(&p.include_wash)?;
    let from = parse_time(&p.from, "from", 0)?;
    let to = parse_time(&p.to, "to", i64::MAX)?;
    if from > to {
        return Err(ApiError::bad_request("invalid_time", format!("from ({from}) is after to ({to})")));
    }
    let params = PageParams { cursor: p.cursor, limit: p.limit };
    let limit = params.limit()?;
    let after = match &params.cursor {
        None => None,
        Some(c) => Some(c.parse::<i64>().ok().filter(|v| *v >= 0 && v % width == 0).ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", format!("{c:?} is not a cursor this list returned"))
        })?),
    };
    let from = after.map_or(from, |a| from.max(a.saturating_add(width)));
    Ok(CandleQuery { width, include_wash, from, to, limit })
}

/// Candles through the answer cache (`super::cache`): computed once per indexed head.
async fn cached_candles(s: &AppState, scope: Scope, p: CandleParams) -> Result<Response, ApiError> {
    let q = parse_candles(p)?;
    let key = format!("candles|{}|{}|{}|{}|{}|{}", scope.key(), q.width, q.include_wash, q.from, q.to, q.limit);
    s.cache.json(&s.pool, &s.chain, key, async { to_json(&candles(s, scope, q).await?) }).await
}

async fn candles(s: &AppState, scope: Scope, q: CandleQuery) -> Result<Page<Candle>, ApiError> {
    let CandleQuery { width, include_wash, from, to, limit } = q;
    let sales = scope.sales();
    let sql = format!(
        "SELECT (s.block_time / $4) * $4 AS start,
                ((array_agg(s.price ORDER BY s.block_number, s.log_index))[1])::text AS open,
                max(s.price)::text AS high, min(s.price)::text AS low,
                ((array_agg(s.price ORDER BY s.block_number DESC, s.log_index DESC))[1])::text AS close,
                sum(s.price)::text AS volume, count(*) AS trades, div(sum(s.price), count(*))::text AS vwap
         FROM sales s
         WHERE s.chain = $1 AND {sales} AND {NOT_WASH} AND s.block_time >= $5 AND s.block_time < $6
         GROUP BY 1 ORDER BY 1 LIMIT $7"
    );
    let query = sqlx::query_as::<_, Candle>(&sql).bind(&s.chain);
    let mut rows =
        scope.bind(query).bind(include_wash).bind(width).bind(from).bind(to).bind(limit + 1).fetch_all(&s.pool).await?;
    for c in &mut rows {
        let change =
            change_percent(&c.close, &c.open).map_or(String::new(), |p| format!(" ({} on the open)", signed(p)));
        let sales = if c.trades == 1 { "1 sale".to_owned() } else { format!("{} sales", c.trades) };
        c.explanation = format!("close {}{change}, range {}–{}: {sales}, volume {}", c.close, c.low, c.high, c.volume);
    }
    Ok(page(rows, limit, |c| c.start.to_string()))
}

#[utoipa::path(get, path = "/v1/prices/collections/{address}/candles",
    params(("address" = String, Path, description = "collection (ERC-721) address"), CandleParams),
    responses((status = 200, body = Page<Candle>), (status = 400, body = ErrorBody)))]
pub(crate) async fn collection_candles(
    State(s): State<AppState>,
    ApiPath(address): ApiPath,
    ApiQuery(p): ApiQuery<CandleParams>,
) -> Result<Response, ApiError> {
    let scope = Scope::Collection(parse_address(&address)?.to_vec());
    cached_candles(&s, scope, p).await
}

#[utoipa::path(get, path = "/v1/prices/classes/{class}/candles",
    params(("class" = String, Path, description = "item class, 0..=65535"), CandleParams),
    responses((status = 200, body = Page<Candle>), (status = 400, body = ErrorBody)))]
pub(crate) async fn class_candles(
    State(s): State<AppState>,
    ApiPath(class): ApiPath,
    ApiQuery(p): ApiQuery<CandleParams>,
) -> Result<Response, ApiError> {
    let scope = Scope::Class(parse_class(&class)?);
    cached_candles(&s, scope, p).await
}

/// Filters of wash trades.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WashFilter {
    /// Only sales flagged by this rule: `self_trade`, `back_and_forth`, `repeat_buyer`, `common_funder`.
    pub rule: Option<String>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

/// A flagged sale with every rule it matched.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WashTrade {
    /// The sale's block.
    pub block_number: i64,
    /// The sale's log index.
    pub log_index: i64,
    /// Block time.
    pub block_time: i64,
    /// Listing id.
    pub listing_id: String,
    /// Seller.
    pub seller: String,
    /// Buyer.
    pub buyer: String,
    /// Collection.
    pub nft: String,
    /// Token id.
    pub token_id: String,
    /// Price.
    pub price: String,
    /// The rules it matched, sorted.
    pub rules: Vec<String>,
}

const RULES: [&str; 4] = ["self_trade", "back_and_forth", "repeat_buyer", "common_funder"];

#[utoipa::path(get, path = "/v1/wash-trades", params(WashFilter),
    responses((status = 200, body = Page<WashTrade>), (status = 400, body = ErrorBody)))]
pub(crate) async fn wash_trades(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<WashFilter>,
) -> Result<Json<Page<WashTrade>>, ApiError> {
    let rule = parse_choice(&f.rule, &RULES, "invalid_rule")?;
    let params = PageParams { cursor: f.cursor, limit: f.limit };
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, WashTrade>(
        "SELECT s.block_number, s.log_index, s.block_time, s.listing_id::text AS listing_id, hex0x(s.seller) AS seller,
                hex0x(s.buyer) AS buyer, hex0x(s.nft) AS nft, s.token_id::text AS token_id, s.price::text AS price,
                w.rules
         FROM (SELECT sale_block, sale_log, array_agg(rule ORDER BY rule) AS rules FROM wash_trades
               WHERE chain = $1 AND (sale_block, sale_log) < ($3, $4)
               GROUP BY sale_block, sale_log HAVING $2::text IS NULL OR $2 = ANY(array_agg(rule))
               ORDER BY sale_block DESC, sale_log DESC LIMIT $5) w
         JOIN sales s ON s.chain = $1 AND s.block_number = w.sale_block AND s.log_index = w.sale_log
         ORDER BY s.block_number DESC, s.log_index DESC",
    )
    .bind(&s.chain)
    .bind(rule)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}
