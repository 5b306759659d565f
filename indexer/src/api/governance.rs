//! Governance: proposals with their state and tallies, votes, and the economy parameters with their history.

use super::{ApiPath, ApiQuery, AppState, Page, PageParams, page, parse_address_opt, parse_id};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// A proposal. `state` is `queued`, `executed` or `canceled` once that happened; before, it follows the latest
/// mirrored block's time as the governor does: `pending` until `vote_start`, `active` until `vote_end`, then
/// `succeeded` if the quorum is reached (for + abstain >= quorum) and for > against, else `defeated`.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ProposalView {
    /// Proposal id (decimal string).
    pub proposal_id: String,
    /// Proposer.
    pub proposer: String,
    /// Description.
    pub description: String,
    /// Target contracts.
    pub targets: Vec<String>,
    /// Calldata per target (hex).
    pub calldatas: Vec<String>,
    /// Voting starts after this time (the governor's clock: seconds).
    pub vote_start: i64,
    /// Voting ends at this time.
    pub vote_end: i64,
    /// Votes for, base units.
    pub votes_for: String,
    /// Votes against.
    pub votes_against: String,
    /// Abstentions.
    pub votes_abstain: String,
    /// Number of votes cast.
    pub voters: i32,
    /// See the type's description.
    pub state: String,
    /// Votes needed (for + abstain): the quorum numerator in force at `vote_start` times the currency supply at
    /// `vote_start` (both from mirrored events), over 100. Absent when the quorum numerator was never seen.
    pub quorum: Option<String>,
    /// Timelock ETA once queued.
    pub eta: Option<i64>,
    /// Block of the proposal.
    pub created_block: i64,
    /// Log index of the proposal.
    pub created_log: i64,
}

/// A vote.
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VoteView {
    /// Proposal id.
    pub proposal_id: String,
    /// Voter.
    pub voter: String,
    /// 0 against, 1 for, 2 abstain.
    pub support: i32,
    /// Voting weight, base units.
    pub weight: String,
    /// Reason given.
    pub reason: String,
    /// Block.
    pub block_number: i64,
    /// Log index.
    pub log_index: i64,
    /// Transaction.
    pub tx_hash: String,
    /// Block time.
    pub block_time: i64,
}

/// A change of an economy parameter (addresses appear as their uint160 value).
#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ParameterChange {
    /// Parameter name, e.g. `marketFeeBps`.
    pub name: String,
    /// Value before.
    pub old_value: String,
    /// Value after.
    pub new_value: String,
    /// Block.
    pub block_number: i64,
    /// Log index.
    pub log_index: i64,
    /// Transaction.
    pub tx_hash: String,
    /// Block time.
    pub block_time: i64,
}

/// Filters of votes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VoteFilter {
    /// Only this voter's.
    pub voter: Option<String>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

/// Filters of parameter history.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParameterFilter {
    /// Only this parameter.
    pub name: Option<String>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Page size, 1..=500.
    pub limit: Option<String>,
}

const PROPOSAL_COLUMNS: &str = "proposal_id::text AS proposal_id, hex0x(proposer) AS proposer, description,
    ARRAY(SELECT hex0x(t) FROM unnest(targets) t) AS targets, ARRAY(SELECT hex0x(d) FROM unnest(calldatas) d) AS calldatas,
    vote_start, vote_end, votes_for::text AS votes_for, votes_against::text AS votes_against,
    votes_abstain::text AS votes_abstain, voters,
    COALESCE(outcome, CASE WHEN now_time <= vote_start THEN 'pending' WHEN now_time <= vote_end THEN 'active'
                           WHEN quorum IS NULL THEN 'ended'
                           WHEN votes_for + votes_abstain >= quorum AND votes_for > votes_against THEN 'succeeded'
                           ELSE 'defeated' END) AS state,
    quorum::text AS quorum, eta, created_block, created_log";

/// The quorum of proposal `p` at its snapshot: supply (mints minus burns up to `vote_start`) times the quorum
/// numerator in force then, over 100 (OpenZeppelin's GovernorVotesQuorumFraction). Solana proposals carry their quorum
/// (`quorum_votes`, fixed at creation), which is used instead.
const QUORUM: &str = "LATERAL (SELECT COALESCE(p.quorum_votes, div(
    (SELECT COALESCE(sum(CASE WHEN t.from_address = '\\x0000000000000000000000000000000000000000'::bytea
                              THEN t.amount ELSE -t.amount END), 0)
     FROM transfers t WHERE t.chain = p.chain AND t.asset = 'currency' AND t.block_time <= p.vote_start
          AND (t.from_address = '\\x0000000000000000000000000000000000000000'::bytea
               OR t.to_address = '\\x0000000000000000000000000000000000000000'::bytea))
    * (SELECT q.new_value FROM parameter_changes q WHERE q.chain = p.chain AND q.name = 'quorumNumerator'
          AND q.block_time <= p.vote_start ORDER BY q.block_number DESC, q.log_index DESC LIMIT 1),
    100)) AS quorum) qz";

const NOW: &str = "(SELECT COALESCE(max(timestamp), 0) AS now_time FROM blocks WHERE chain = $1
    AND number = (SELECT max(number) FROM blocks WHERE chain = $1)) now";

#[utoipa::path(get, path = "/v1/proposals", params(PageParams),
    responses((status = 200, body = Page<ProposalView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn proposals(
    State(s): State<AppState>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Page<ProposalView>>, ApiError> {
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, ProposalView>(&format!(
        "SELECT {PROPOSAL_COLUMNS} FROM proposals p, {NOW}, {QUORUM}
         WHERE chain = $1 AND (created_block, created_log) < ($2, $3)
         ORDER BY created_block DESC, created_log DESC LIMIT $4"
    ))
    .bind(&s.chain)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.created_block, r.created_log))))
}

#[utoipa::path(get, path = "/v1/proposals/{id}", params(("id" = String, Path, description = "decimal proposal id")),
    responses((status = 200, body = ProposalView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn proposal(State(s): State<AppState>, ApiPath(id): ApiPath) -> Result<Json<ProposalView>, ApiError> {
    let id = parse_id(&id)?;
    let row = sqlx::query_as::<_, ProposalView>(&format!(
        "SELECT {PROPOSAL_COLUMNS} FROM proposals p, {NOW}, {QUORUM} WHERE chain = $1 AND proposal_id = $2::numeric LIMIT 1"
    ))
    .bind(&s.chain)
    .bind(&id)
    .fetch_optional(&s.pool)
    .await?;
    row.map(Json).ok_or_else(|| ApiError::not_found(format!("no proposal {id}")))
}

#[utoipa::path(get, path = "/v1/proposals/{id}/votes", params(("id" = String, Path), VoteFilter),
    responses((status = 200, body = Page<VoteView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn proposal_votes(
    State(s): State<AppState>,
    ApiPath(id): ApiPath,
    ApiQuery(f): ApiQuery<VoteFilter>,
) -> Result<Json<Page<VoteView>>, ApiError> {
    let id = parse_id(&id)?;
    let voter = parse_address_opt(&f.voter)?;
    let params = PageParams { cursor: f.cursor, limit: f.limit };
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, VoteView>(
        "SELECT proposal_id::text AS proposal_id, hex0x(voter) AS voter, support, weight::text AS weight, reason,
                block_number, log_index, hex0x(tx_hash) AS tx_hash, block_time
         FROM votes WHERE chain = $1 AND proposal_id = $2::numeric AND ($3::bytea IS NULL OR voter = $3)
              AND (block_number, log_index) < ($4, $5)
         ORDER BY block_number DESC, log_index DESC LIMIT $6",
    )
    .bind(&s.chain)
    .bind(&id)
    .bind(voter)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}

#[utoipa::path(get, path = "/v1/parameters",
    responses((status = 200, body = Vec<ParameterChange>, description = "the latest change of every parameter")))]
pub(crate) async fn parameters(State(s): State<AppState>) -> Result<Json<Vec<ParameterChange>>, ApiError> {
    let rows = sqlx::query_as::<_, ParameterChange>(
        "SELECT DISTINCT ON (name) name, old_value::text AS old_value, new_value::text AS new_value, block_number,
                log_index, hex0x(tx_hash) AS tx_hash, block_time
         FROM parameter_changes WHERE chain = $1 ORDER BY name, block_number DESC, log_index DESC",
    )
    .bind(&s.chain)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(rows))
}

#[utoipa::path(get, path = "/v1/parameters/history", params(ParameterFilter),
    responses((status = 200, body = Page<ParameterChange>), (status = 400, body = ErrorBody)))]
pub(crate) async fn parameter_history(
    State(s): State<AppState>,
    ApiQuery(f): ApiQuery<ParameterFilter>,
) -> Result<Json<Page<ParameterChange>>, ApiError> {
    if let Some(name) = &f.name
        && (name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(ApiError::bad_request("invalid_name", format!("{name:?} is not a parameter name")));
    }
    let params = PageParams { cursor: f.cursor, limit: f.limit };
    let limit = params.limit()?;
    let (block, log) = params.event_cursor()?;
    let rows = sqlx::query_as::<_, ParameterChange>(
        "SELECT name, old_value::text AS old_value, new_value::text AS new_value, block_number, log_index,
                hex0x(tx_hash) AS tx_hash, block_time
         FROM parameter_changes WHERE chain = $1 AND ($2::text IS NULL OR name = $2)
              AND (block_number, log_index) < ($3, $4)
         ORDER BY block_number DESC, log_index DESC LIMIT $5",
    )
    .bind(&s.chain)
    .bind(&f.name)
    .bind(block)
    .bind(log)
    .bind(limit + 1)
    .fetch_all(&s.pool)
    .await?;
    Ok(Json(page(rows, limit, |r| format!("{}-{}", r.block_number, r.log_index))))
}
