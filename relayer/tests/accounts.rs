//! Custodial accounts over HTTP against a real Postgres: sign-up, log-in, sessions, refusals, rate limits, the ops
//! endpoints, and the keys at rest (envelope encryption, master-key rotation, tampering).

use mercato_postgres::LocalPostgres;
use mercato_relayer::api::{AppState, Session};
use mercato_relayer::keys::{self, KeyError, LocalKeyStore};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::Arc;

const KEY_A: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const KEY_B: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const PASSWORD: &str = "correct horse battery staple";

struct Relayer {
    _pg: LocalPostgres,
    pool: PgPool,
    url: String,
    http: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

async fn relayer() -> Relayer {
    let pg = LocalPostgres::start().expect("postgres");
    let database = pg.create_database("relayer").unwrap();
    let pool = mercato_relayer::db::connect(&database, 8).await.expect("migrations apply");
    let store = LocalKeyStore::from_hex(KEY_A, &[]).unwrap();
    let state = AppState::new(pool.clone(), Arc::new(store), 3_600, mercato_relayer::metrics_handle());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(mercato_relayer::serve(listener, state, async {
        let _ = stop.await;
    }));
    Relayer { _pg: pg, pool, url, http: reqwest::Client::new(), _shutdown: shutdown }
}

impl Relayer {
    async fn post(&self, path: &str, body: Value, token: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.http.post(format!("{}{path}", self.url)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String) {
        let mut request = self.http.get(format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn sign_up(&self, email: &str) -> Session {
        let (status, body) = self.post("/v1/auth/signup", json!({"email": email, "password": PASSWORD}), None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }
}

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_else(|| panic!("no error reason in {body}"))
}

#[tokio::test]
async fn sign_up_log_in_me_log_out() {
    let r = relayer().await;
    let session = r.sign_up("  Alice@Example.com ").await;
    assert_eq!(session.user.email, "alice@example.com");
    assert!(session.user.evm_address.starts_with("0x") && session.user.evm_address.len() == 42);
    let solana: solana_address::Address = session.user.solana_address.parse().expect("base58 Solana address");
    assert_ne!(solana.to_bytes(), [0; 32]);

    let (status, me) = r.get("/v1/me", Some(&session.token)).await;
    assert_eq!(status, StatusCode::OK);
    let me: Value = serde_json::from_str(&me).unwrap();
    assert_eq!(me["evm_address"], session.user.evm_address);
    assert_eq!(me["solana_address"], session.user.solana_address);

    let (status, body) =
        r.post("/v1/auth/signup", json!({"email": "ALICE@example.com", "password": PASSWORD}), None).await;
    assert_eq!((status, reason(&body)), (StatusCode::CONFLICT, "email_taken"));

    let (status, body) =
        r.post("/v1/auth/login", json!({"email": "alice@example.com", "password": "wrong password!"}), None).await;
    assert_eq!((status, reason(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
    let (status, body) =
        r.post("/v1/auth/login", json!({"email": "nobody@example.com", "password": PASSWORD}), None).await;
    assert_eq!((status, reason(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"), "unknown email: same error");

    let (status, body) =
        r.post("/v1/auth/login", json!({"email": "alice@example.com", "password": PASSWORD}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second: Session = serde_json::from_value(body).unwrap();
    assert_ne!(second.token, session.token);
    assert_eq!(second.user.evm_address, session.user.evm_address);

    let (status, _) = r.post("/v1/auth/logout", json!({}), Some(&session.token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = r.get("/v1/me", Some(&session.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("invalid_session"));
    let (status, _) = r.get("/v1/me", Some(&second.token)).await;
    assert_eq!(status, StatusCode::OK, "the other session lives on");

    // An expired session is refused.
    sqlx::query("UPDATE sessions SET expires_at = now() - interval '1 second'").execute(&r.pool).await.unwrap();
    let (status, _) = r.get("/v1/me", Some(&second.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(mercato_relayer::accounts::purge_expired_sessions(&r.pool).await.unwrap(), 1);
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_change_nothing() {
    let r = relayer().await;
    let cases = [
        (json!({"email": "not-an-email", "password": PASSWORD}), StatusCode::BAD_REQUEST, "invalid_email"),
        (json!({"email": "bob@example.com", "password": "short"}), StatusCode::BAD_REQUEST, "weak_password"),
        (
            json!({"email": "bob@example.com", "password": "x".repeat(2_000)}),
            StatusCode::BAD_REQUEST,
            "password_too_long",
        ),
        (json!({"email": "bob@example.com"}), StatusCode::BAD_REQUEST, "malformed_body"),
        (json!({"email": 5, "password": PASSWORD}), StatusCode::BAD_REQUEST, "malformed_body"),
    ];
    for (body, status, expected) in cases {
        let (got, response) = r.post("/v1/auth/signup", body.clone(), None).await;
        assert_eq!((got, reason(&response)), (status, expected), "{body}");
    }
    let response = r.http.post(format!("{}/v1/auth/signup", r.url)).body("{}").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = r
        .http
        .post(format!("{}/v1/auth/signup", r.url))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let huge = json!({"email": "bob@example.com", "password": "y".repeat(100_000)});
    let (status, body) = r.post("/v1/auth/signup", huge, None).await;
    assert_eq!((status, reason(&body)), (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"));
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM users").fetch_one(&r.pool).await.unwrap();
    assert_eq!(count, 0, "no refused sign-up created anything");

    let (status, body) = r.get("/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("missing_session"), "{body}");
    let (status, body) = r.get("/v1/me", Some("forged-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("invalid_session"), "{body}");
    let (status, body) = r.get("/v1/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("not_found"), "{body}");
}

#[tokio::test]
async fn log_in_is_rate_limited_per_email() {
    let r = relayer().await;
    r.sign_up("carol@example.com").await;
    for _ in 0..5 {
        let (status, _) = r
            .post("/v1/auth/login", json!({"email": "carol@example.com", "password": "guess guess guess"}), None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = r
        .http
        .post(format!("{}/v1/auth/login", r.url))
        .json(&json!({"email": "Carol@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(reason(&response.json().await.unwrap()), "rate_limited");
    let (status, _) = r.post("/v1/auth/login", json!({"email": "dave@example.com", "password": PASSWORD}), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "other emails are not limited");
}

#[tokio::test]
async fn ops_endpoints_and_openapi() {
    let r = relayer().await;
    assert_eq!(r.get("/healthz", None).await, (StatusCode::OK, "ok".into()));
    assert_eq!(r.get("/readyz", None).await, (StatusCode::OK, "ready".into()));
    r.sign_up("erin@example.com").await;
    let (status, metrics) = r.get("/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(metrics.contains("relayer_http_requests_total"), "{metrics}");
    assert!(metrics.contains("relayer_signups_total"), "{metrics}");
    let (status, openapi) = r.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let openapi: Value = serde_json::from_str(&openapi).unwrap();
    for path in ["/v1/auth/signup", "/v1/auth/login", "/v1/auth/logout", "/v1/me", "/healthz", "/readyz"] {
        assert!(openapi["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
    assert!(openapi["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn keys_are_encrypted_at_rest_and_survive_a_master_key_rotation() {
    let r = relayer().await;
    let mut users = Vec::new();
    for name in ["u1", "u2", "u3"] {
        users.push(r.sign_up(&format!("{name}@example.com")).await.user);
    }
    let store_a = LocalKeyStore::from_hex(KEY_A, &[]).unwrap();
    let mut secrets = Vec::new();
    for user in &users {
        let keys = keys::load(&r.pool, &store_a, user.id).await.expect("keys decrypt");
        assert_eq!(keys.evm.address().to_checksum(None), user.evm_address);
        assert_eq!(solana_signer::Signer::pubkey(&keys.solana).to_string(), user.solana_address);
        secrets.push((keys.evm.to_bytes().0.to_vec(), keys.solana.secret_bytes().to_vec()));
    }
    // No secret appears in any stored byte string.
    let rows: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT wrapped_data_key, evm_secret, solana_secret FROM user_keys")
            .fetch_all(&r.pool)
            .await
            .unwrap();
    for (evm, solana) in &secrets {
        for (wrapped, evm_sealed, solana_sealed) in &rows {
            for stored in [wrapped, evm_sealed, solana_sealed] {
                assert!(
                    !stored.windows(32).any(|w| w == evm.as_slice() || w == solana.as_slice()),
                    "plaintext at rest"
                );
            }
        }
    }

    // Rotation to key B, with A as a previous key, rewraps all three in one go; B alone then decrypts everything.
    let store_b = LocalKeyStore::from_hex(KEY_B, &[KEY_A.to_owned()]).unwrap();
    assert_eq!(keys::rotate_master_key(&r.pool, &store_b).await.unwrap(), 3);
    assert_eq!(keys::rotate_master_key(&r.pool, &store_b).await.unwrap(), 0, "idempotent");
    let only_b = LocalKeyStore::from_hex(KEY_B, &[]).unwrap();
    for (user, (evm, _)) in users.iter().zip(&secrets) {
        let keys = keys::load(&r.pool, &only_b, user.id).await.expect("decrypts under the new key");
        assert_eq!(&keys.evm.to_bytes().0.to_vec(), evm);
    }
    assert!(matches!(keys::load(&r.pool, &store_a, users[0].id).await, Err(KeyError::UnknownMasterKey(_))));

    // A ciphertext moved onto another user's row does not decrypt (the AAD binds it to its address).
    sqlx::query(
        "UPDATE user_keys SET evm_secret = (SELECT evm_secret FROM user_keys WHERE user_id = $1) WHERE user_id = $2",
    )
    .bind(users[0].id)
    .bind(users[1].id)
    .execute(&r.pool)
    .await
    .unwrap();
    assert!(matches!(keys::load(&r.pool, &only_b, users[1].id).await, Err(KeyError::Decrypt)));
    // A wrong master key with the right id cannot exist; a malformed one is refused up front.
    assert!(matches!(LocalKeyStore::from_hex("abc", &[]), Err(KeyError::BadMasterKey(_))));
}
