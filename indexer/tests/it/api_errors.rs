//! Bad input on every endpoint: a 4xx with a JSON reason, never a 5xx. Runs against an empty, migrated mirror (the
//! validation does not depend on data) and checks a few valid requests answer 200 on it.

use mercato_indexer::{api, db};
use mercato_postgres::LocalPostgres;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_on_every_endpoint_is_a_4xx_with_a_reason() {
    let pg = LocalPostgres::start().unwrap();
    let url = pg.create_database("api_errors").unwrap();
    let pool = db::connect(&url, 4).await.unwrap();
    let state = api::AppState {
        pool,
        chain: "evm:31337".into(),
        status: None,
        max_lag: 5,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_indexer::serve(listener, state, std::future::pending()));

    let addr = "0x00000000000000000000000000000000000000aa";
    let cases: &[(&str, u16, &str)] = &[
        ("/v1/accounts/0x123", 400, "invalid_address"),
        ("/v1/accounts/not-an-address", 400, "invalid_address"),
        ("/v1/accounts/0xZZ000000000000000000000000000000000000aa", 400, "invalid_address"),
        ("/v1/accounts/0x123/items", 400, "invalid_address"),
        (&format!("/v1/accounts/{addr}/items?limit=0"), 400, "invalid_limit"),
        (&format!("/v1/accounts/{addr}/items?limit=501"), 400, "invalid_limit"),
        (&format!("/v1/accounts/{addr}/items?cursor=abc"), 400, "invalid_cursor"),
        ("/v1/items?owner=0x1", 400, "invalid_address"),
        ("/v1/items?class=-1", 400, "invalid_class"),
        ("/v1/items?class=70000", 400, "invalid_class"),
        ("/v1/items?limit=x", 400, "invalid_limit"),
        ("/v1/items/abc", 400, "invalid_id"),
        ("/v1/items/-5", 400, "invalid_id"),
        (
            "/v1/items/1157920892373161954235709850086879078532699846656405640394575840079131296399360",
            400,
            "invalid_id",
        ),
        ("/v1/items/42", 404, "not_found"),
        ("/v1/items/x/history", 400, "invalid_id"),
        ("/v1/items/1/history?cursor=12", 400, "invalid_cursor"),
        ("/v1/items/1/history?cursor=-1--1", 400, "invalid_cursor"),
        ("/v1/listings?status=pending", 400, "invalid_status"),
        ("/v1/listings?kind=vickrey", 400, "invalid_kind"),
        ("/v1/listings?seller=bob", 400, "invalid_address"),
        ("/v1/listings?cursor=1-2", 400, "invalid_cursor"),
        ("/v1/listings/0x10", 400, "invalid_id"),
        ("/v1/listings/7", 404, "not_found"),
        ("/v1/auctions?status=sold", 400, "invalid_status"),
        ("/v1/auctions?kind=fixed", 400, "invalid_kind"),
        ("/v1/auctions?limit=1e3", 400, "invalid_limit"),
        ("/v1/bids?listing=one", 400, "invalid_id"),
        ("/v1/bids?bidder=0x", 400, "invalid_address"),
        ("/v1/bids?cursor=a-b", 400, "invalid_cursor"),
        ("/v1/sales?buyer=0x1234", 400, "invalid_address"),
        ("/v1/sales?seller=xyz", 400, "invalid_address"),
        ("/v1/sales?token_id=1.5", 400, "invalid_id"),
        ("/v1/sales?class=seven", 400, "invalid_class"),
        ("/v1/sales?limit=-1", 400, "invalid_limit"),
        ("/v1/proposals?cursor=zzz", 400, "invalid_cursor"),
        ("/v1/proposals?limit=100000000000000000000", 400, "invalid_limit"),
        ("/v1/proposals/12ab", 400, "invalid_id"),
        ("/v1/proposals/1", 404, "not_found"),
        ("/v1/proposals/1/votes?voter=me", 400, "invalid_address"),
        ("/v1/proposals/x/votes", 400, "invalid_id"),
        ("/v1/parameters/history?name=market%20fee", 400, "invalid_name"),
        ("/v1/parameters/history?name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 400, "invalid_name"),
        ("/v1/parameters/history?cursor=%00", 400, "invalid_cursor"),
        ("/v1/prices/collections/0x12", 400, "invalid_address"),
        (&format!("/v1/prices/collections/{addr}?include_wash=yes"), 400, "invalid_include_wash"),
        ("/v1/prices/classes/seven", 400, "invalid_class"),
        ("/v1/prices/classes/70000", 400, "invalid_class"),
        (&format!("/v1/prices/collections/{addr}/candles"), 400, "invalid_interval"),
        (&format!("/v1/prices/collections/{addr}/candles?interval=5m"), 400, "invalid_interval"),
        ("/v1/prices/classes/7/candles?interval=1h&from=-1", 400, "invalid_time"),
        ("/v1/prices/classes/7/candles?interval=1h&from=10&to=5", 400, "invalid_time"),
        ("/v1/prices/classes/7/candles?interval=1h&cursor=61", 400, "invalid_cursor"),
        ("/v1/prices/classes/7/candles?interval=1d&limit=0", 400, "invalid_limit"),
        ("/v1/wash-trades?rule=spoofing", 400, "invalid_rule"),
        ("/v1/wash-trades?cursor=x", 400, "invalid_cursor"),
        ("/v1/economy/daily?from=2026-13-01", 400, "invalid_date"),
        ("/v1/economy/daily?to=yesterday", 400, "invalid_date"),
        ("/v1/economy/daily?from=2026-02-10&to=2026-02-01", 400, "invalid_date"),
        ("/v1/economy/daily?cursor=2026-02-30", 400, "invalid_cursor"),
        ("/v1/economy/daily?limit=600", 400, "invalid_limit"),
        ("/v1/economy/daily?include_wash=1", 400, "invalid_include_wash"),
        ("/v1/nothing-here", 404, "not_found"),
        ("/readyz", 503, "not_ingested"),
    ];
    let http = reqwest::Client::new();
    for (path, status, reason) in cases {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        let got = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!((got, body["error"]["reason"].as_str()), (*status, Some(*reason)), "GET {path}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap_or_default().is_empty(), "GET {path}: a message");
    }
    // Valid requests on the empty mirror answer 200 with empty pages (and an unseen account has zeros).
    for path in [
        "/v1/items",
        "/v1/listings?status=open&kind=english",
        "/v1/auctions?status=ended",
        "/v1/bids",
        "/v1/sales?class=1",
        "/v1/proposals",
        "/v1/parameters",
        "/v1/parameters/history?name=marketFeeBps",
        "/v1/items/1/history",
        "/v1/prices/classes/7",
        "/v1/prices/collections/0x00000000000000000000000000000000000000aa?include_wash=true",
        "/v1/prices/classes/7/candles?interval=1m",
        "/v1/wash-trades",
        "/v1/economy/daily?from=2026-01-01&to=2026-01-31",
        "/healthz",
        "/openapi.json",
        "/metrics",
    ] {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
    }
    // Every route is described in the OpenAPI document, with the error shape.
    let openapi: Value = http.get(format!("{base}/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/v1/accounts/{address}",
        "/v1/accounts/{address}/items",
        "/v1/items",
        "/v1/items/{id}",
        "/v1/items/{id}/history",
        "/v1/listings",
        "/v1/listings/{id}",
        "/v1/auctions",
        "/v1/bids",
        "/v1/sales",
        "/v1/proposals",
        "/v1/proposals/{id}",
        "/v1/proposals/{id}/votes",
        "/v1/parameters",
        "/v1/parameters/history",
        "/v1/prices/collections/{address}",
        "/v1/prices/collections/{address}/candles",
        "/v1/prices/classes/{class}",
        "/v1/prices/classes/{class}/candles",
        "/v1/wash-trades",
        "/v1/economy/daily",
        "/healthz",
        "/readyz",
    ] {
        assert!(openapi["paths"][path]["get"].is_object(), "{path} is not in /openapi.json");
    }
    assert!(openapi["components"]["schemas"]["ErrorBody"].is_object());
    let account: Value = http.get(format!("{base}/v1/accounts/{addr}")).send().await.unwrap().json().await.unwrap();
    assert_eq!((account["balance"].as_str(), account["items_owned"].as_i64()), (Some("0"), Some(0)), "{account}");
}
