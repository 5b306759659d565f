//! Economy metrics per day (UTC days of chain time): currency supply, minted, burned, fees to the treasury, net
//! inflation, Gini coefficient of holdings, velocity and holders, computed at query time from `transfers` and
//! `sales` (see the README for each formula).

use super::{ApiQuery, AppState, Page, PageParams, page};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// Filters of the daily metrics.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DailyParams {
    /// First day, `YYYY-MM-DD` (default: the day of the first currency transfer).
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (default: the latest mirrored block's day).
    pub to: Option<String>,
    /// `true` to count wash trades in `volume` and `velocity` (default `false`).
    pub include_wash: Option<String>,
    /// Cursor: the last day of the previous page.
    pub cursor: Option<String>,
    /// Page size (days), 1..=500 (default 50).
    pub limit: Option<String>,
}

/// One day's economy. Amounts are base units (decimal strings); ratios are numbers.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DailyEconomy {
    /// The day, `YYYY-MM-DD` (UTC, chain time).
    pub day: String,
    /// Currency supply at the end of the day: everything minted minus everything burned up to then.
    pub supply: String,
    /// Minted that day (transfers from the zero address: genesis and emission, which is the suite's reward mint).
    pub minted: String,
    /// Burned that day (transfers to the zero address).
    pub burned: String,
    /// Market fees paid to the treasury that day (`Sale.fee`, wash trades included: the fee was paid).
    pub fees_to_treasury: String,
    /// Sale volume that day (wash trades excluded unless `include_wash`).
    pub volume: String,
    /// (minted − burned) / supply at the start of the day; absent when that supply is 0.
    pub net_inflation_rate: Option<f64>,
    /// Gini coefficient of the positive balances at the end of the day (0 equal .. 1 one holder has all).
    pub gini: Option<f64>,
    /// volume / supply at the end of the day; absent when the supply is 0.
    pub velocity: Option<f64>,
    /// Addresses with a positive balance at the end of the day.
    pub holders: i64,
    /// Addresses that sent or received currency that day (the zero address not counted).
    pub active_holders: i64,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` into a day number (days since the epoch).
pub fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (y.parse::<i64>().ok()?, m.parse::<i64>().ok()?, d.parse::<i64>().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in[(m - 1) as usize] || y < 1970 {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn day_param(text: &Option<String>, name: &str, reason: &'static str) -> Result<Option<i64>, ApiError> {
    text.as_deref()
        .map(|t| {
            parse_day(t)
                .ok_or_else(|| ApiError::bad_request(reason, format!("{name} must be a date YYYY-MM-DD, not {t:?}")))
        })
        .transpose()
}

#[utoipa::path(get, path = "/v1/economy/daily", params(DailyParams),
    responses((status = 200, body = Page<DailyEconomy>), (status = 400, body = ErrorBody)))]
pub(crate) async fn daily(
    State(s): State<AppState>,
    ApiQuery(p): ApiQuery<DailyParams>,
) -> Result<Json<Page<DailyEconomy>>, ApiError> {
    let include_wash = match p.include_wash.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(t) => {
            return Err(ApiError::bad_request(
                "invalid_include_wash",
                format!("include_wash must be true or false, not {t:?}"),
            ));
        }
    };
    let from = day_param(&p.from, "from", "invalid_date")?;
    let to = day_param(&p.to, "to", "invalid_date")?;
    let cursor = day_param(&p.cursor, "cursor", "invalid_cursor")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::bad_request("invalid_date", "from is after to"));
    }
    let limit = PageParams { cursor: None, limit: p.limit }.limit()?;
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT min(block_time) / 86400 FROM transfers WHERE chain = $1 AND asset = 'currency'),
                (SELECT timestamp / 86400 FROM blocks WHERE chain = $1 ORDER BY number DESC LIMIT 1)",
    )
    .bind(&s.chain)
    .fetch_one(&s.pool)
    .await?;
    let start = from.or(first).unwrap_or(0).max(cursor.map_or(i64::MIN, |c| c + 1));
    let end = to.or(last).unwrap_or(-1).min(start.saturating_add(limit));
    let rows = sqlx::query_as::<_, DailyEconomy>(
        "WITH days AS (SELECT generate_series($2::bigint, $3::bigint) AS day),
         cur AS (SELECT block_time / 86400 AS day, from_address AS f, to_address AS t, amount,
                        from_address IN ('\\x0000000000000000000000000000000000000000'::bytea, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS f0,
                        to_address IN ('\\x0000000000000000000000000000000000000000'::bytea, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS t0
                 FROM transfers
                 WHERE chain = $1 AND asset = 'currency' AND block_time < ($3 + 1) * 86400),
         deltas AS (SELECT t AS who, day, amount AS d FROM cur WHERE NOT t0
                    UNION ALL
                    SELECT f, day, -amount FROM cur WHERE NOT f0),
         per_day AS (SELECT who, day, sum(d) AS d FROM deltas GROUP BY who, day),
         flows AS (SELECT day,
                     COALESCE(sum(amount) FILTER (WHERE f0), 0) AS minted,
                     COALESCE(sum(amount) FILTER (WHERE t0), 0) AS burned
                   FROM cur GROUP BY day),
         m AS (SELECT d.day,
                 COALESCE(fl.minted, 0) AS minted, COALESCE(fl.burned, 0) AS burned,
                 (SELECT COALESCE(sum(minted - burned), 0) FROM flows WHERE flows.day <= d.day) AS supply,
                 (SELECT COALESCE(sum(minted - burned), 0) FROM flows WHERE flows.day < d.day) AS prior_supply,
                 (SELECT COALESCE(sum(s.fee), 0) FROM sales s WHERE s.chain = $1
                    AND s.block_time >= d.day * 86400 AND s.block_time < (d.day + 1) * 86400) AS fees,
                 (SELECT COALESCE(sum(s.price), 0) FROM sales s WHERE s.chain = $1
                    AND s.block_time >= d.day * 86400 AND s.block_time < (d.day + 1) * 86400
                    AND ($4 OR NOT EXISTS (SELECT 1 FROM wash_trades w WHERE w.chain = s.chain
                         AND w.sale_block = s.block_number AND w.sale_log = s.log_index))) AS volume,
                 (SELECT count(DISTINCT who) FROM per_day WHERE per_day.day = d.day) AS active,
                 g.holders, g.gini
               FROM days d LEFT JOIN flows fl ON fl.day = d.day
               CROSS JOIN LATERAL (
                 SELECT count(*) AS holders,
                        CASE WHEN count(*) > 0 AND sum(b) > 0
                             THEN (2 * sum(rn * b) / (count(*) * sum(b)) - (count(*) + 1)::numeric / count(*))::float8
                        END AS gini
                 FROM (SELECT b, row_number() OVER (ORDER BY b) AS rn
                       FROM (SELECT sum(d) AS b FROM per_day WHERE per_day.day <= d.day GROUP BY who) x
                       WHERE b > 0) y) g)
         SELECT to_char(to_timestamp(day * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                supply::text AS supply, minted::text AS minted, burned::text AS burned,
                fees::text AS fees_to_treasury, volume::text AS volume,
                (CASE WHEN prior_supply > 0 THEN ((minted - burned) / prior_supply)::float8 END) AS net_inflation_rate,
                gini,
                (CASE WHEN supply > 0 THEN (volume / supply)::float8 END) AS velocity,
                holders, active AS active_holders
         FROM m ORDER BY m.day",
    )
    .bind(&s.chain)
    .bind(start)
    .bind(end)
    .bind(include_wash)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| r.day.clone())))
}
