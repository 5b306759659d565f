//! Custodial accounts: sign-up (argon2id password hash + generated keys), log-in, sessions.

use crate::error::ApiError;
use crate::keys::{self, KeyStore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use zeroize::Zeroizing;

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Passwords longer than this are refused (hashing cost is bounded).
pub const MAX_PASSWORD_LEN: usize = 1_024;

/// A user as the API shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Profile {
    /// The user's id.
    pub id: i64,
    /// The normalized email.
    pub email: String,
    /// The custodial EVM address (checksummed hex).
    pub evm_address: String,
    /// The custodial Solana address (base58).
    pub solana_address: String,
}

/// Trims and lower-cases an email; refuses what cannot be an address.
pub fn normalize_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if valid { Ok(email) } else { Err(ApiError::bad_request("invalid_email", "that is not an email address")) }
}

fn check_password(password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_LEN {
        return Err(ApiError::bad_request(
            "weak_password",
            &format!("passwords have at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(ApiError::bad_request(
            "password_too_long",
            &format!("passwords have at most {MAX_PASSWORD_LEN} bytes"),
        ));
    }
    Ok(())
}

/// Hashes with argon2id (OWASP-recommended parameters: the crate's defaults, m = 19 MiB, t = 2, p = 1), off the
/// async executor.
async fn hash_password(password: Zeroizing<String>) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

async fn verify_password(password: Zeroizing<String>, hash: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)?;
        Ok::<_, argon2::password_hash::Error>(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// A hash of nothing in particular, verified against when the email is unknown so that a log-in takes as long for
/// an unknown email as for a wrong password.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn dummy_hash() -> String {
    DUMMY_HASH
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default().hash_password(b"mercato dummy password", &salt).map(|h| h.to_string()).unwrap_or_default()
        })
        .clone()
}

/// Creates a user with fresh custodial keys. The email must be new.
pub async fn sign_up(
    pool: &PgPool,
    store: &dyn KeyStore,
    email: &str,
    password: Zeroizing<String>,
) -> Result<Profile, ApiError> {
    let email = normalize_email(email)?;
    check_password(&password)?;
    let hash = hash_password(password).await?;
    let keys = keys::generate(store).await.map_err(ApiError::internal)?;
    let mut tx = pool.begin().await.map_err(ApiError::internal)?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, evm_address, solana_address) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&email)
    .bind(&hash)
    .bind(keys.evm_address.as_slice())
    .bind(keys.solana_address.as_slice())
    .fetch_optional(&mut *tx)
    .await
    .map_err(ApiError::internal)?;
    let Some((id,)) = inserted else {
        return Err(ApiError::conflict("email_taken", "an account with this email exists"));
    };
    sqlx::query(
        "INSERT INTO user_keys (user_id, master_key_id, wrapped_data_key, evm_secret, solana_secret)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&keys.master_key_id)
    .bind(&keys.wrapped_data_key)
    .bind(&keys.evm_secret)
    .bind(&keys.solana_secret)
    .execute(&mut *tx)
    .await
    .map_err(ApiError::internal)?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Profile {
        id,
        email,
        evm_address: keys.evm_address.to_checksum(None),
        solana_address: solana_address::Address::from(keys.solana_address).to_string(),
    })
}

/// Checks the credentials; the user's id when they match. Unknown email and wrong password are the same error.
pub async fn check_credentials(pool: &PgPool, email: &str, password: Zeroizing<String>) -> Result<i64, ApiError> {
    let invalid = || ApiError::unauthorized("invalid_credentials", "wrong email or password");
    let email = normalize_email(email).map_err(|_| invalid())?;
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(pool)
        .await
        .map_err(ApiError::internal)?;
    let (id, hash) = row.unwrap_or((0, dummy_hash()));
    let matches = verify_password(password, hash).await?;
    if matches && id != 0 { Ok(id) } else { Err(invalid()) }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Opens a session of `ttl_seconds` for `user_id`; returns the bearer token (only its hash is stored).
pub async fn open_session(pool: &PgPool, user_id: i64, ttl_seconds: i64) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(ttl_seconds as f64)
    .execute(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(token)
}

/// The user of a live session, with their custodial EVM and Solana addresses (one query: the sponsored paths need them).
pub async fn session_user(pool: &PgPool, token: &str) -> Result<(i64, alloy::primitives::Address, [u8; 32]), ApiError> {
    let row: Option<(i64, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT u.id, u.evm_address, u.solana_address FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > now()",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await
    .map_err(ApiError::internal)?;
    let (id, evm, solana) = row.ok_or_else(|| ApiError::unauthorized("invalid_session", "log in again"))?;
    Ok((
        id,
        alloy::primitives::Address::try_from(evm.as_slice()).map_err(ApiError::internal)?,
        solana.as_slice().try_into().map_err(ApiError::internal)?,
    ))
}

/// Ends a session (idempotent).
pub async fn close_session(pool: &PgPool, token: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(())
}

/// Deletes expired sessions; returns how many.
pub async fn purge_expired_sessions(pool: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= now()").execute(pool).await?.rows_affected())
}

/// A user's profile.
pub async fn profile(pool: &PgPool, user_id: i64) -> Result<Profile, ApiError> {
    let (id, email, evm, solana): (i64, String, Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT id, email, evm_address, solana_address FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await
            .map_err(ApiError::internal)?;
    let evm = alloy::primitives::Address::try_from(evm.as_slice()).map_err(ApiError::internal)?;
    let solana: [u8; 32] = solana.as_slice().try_into().map_err(ApiError::internal)?;
    Ok(Profile {
        id,
        email,
        evm_address: evm.to_checksum(None),
        solana_address: solana_address::Address::from(solana).to_string(),
    })
}
