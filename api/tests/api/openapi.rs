//! The contract: the committed `openapi/openapi.json` is exactly what the code generates, every
//! operation is documented with an id, a summary and its refusals, and the docs are served.

use crate::support::*;

fn committed() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    std::fs::read_to_string(&path).unwrap_or_default()
}

#[test]
fn committed_spec_matches_the_code() {
    let generated = faro_api::openapi::pretty();
    assert!(
        committed() == generated,
        "openapi/openapi.json is out of date: run `just openapi` and commit it"
    );
}

/// Every `$ref` in `v`, with where it was found.
fn refs<'a>(v: &'a serde_json::Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push((at.clone(), r)),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                refs(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let spec: serde_json::Value = serde_json::from_str(&faro_api::openapi::pretty()).unwrap();
    let mut found = Vec::new();
    refs(&spec, String::new(), &mut found);
    assert!(!found.is_empty());
    for (at, r) in found {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: external {r}"));
        assert!(spec.pointer(pointer).is_some(), "{at}: {r} does not exist");
    }
}

#[test]
fn every_operation_is_documented() {
    let spec: serde_json::Value = serde_json::from_str(&faro_api::openapi::pretty()).unwrap();
    assert_eq!(spec["openapi"].as_str().unwrap().get(..3), Some("3.1"));
    let schemes = &spec["components"]["securitySchemes"];
    assert!(schemes["access_token"].is_object() && schemes["api_key"].is_object());
    let mut ids = std::collections::HashSet::new();
    let mut n = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            n += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: operationId"));
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            assert!(
                !op["summary"].as_str().unwrap_or("").is_empty(),
                "{id}: summary"
            );
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                let has_description = r.get("description").is_some() || r.get("$ref").is_some();
                assert!(has_description, "{id} {status}: description");
            }
            if path.starts_with("/api/v1") && !["setup_status", "logout"].contains(&id) {
                assert!(
                    responses.keys().any(|s| s.starts_with('4')),
                    "{id}: no 4xx documented"
                );
            }
        }
    }
    assert!(n >= 35, "{n} operations");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_are_served_offline() {
    let app = TestApp::spawn(Db::Sqlite).await.unwrap();
    let c = app.client();
    let spec = c.get("/api/v1/openapi.json").await;
    spec.expect(200);
    assert!(spec.body["paths"]["/api/v1/auth/login"].is_object());
    // What is served is the committed document, with a validator that answers 304.
    let committed: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    assert!(
        spec.body == committed,
        "the served spec is not openapi/openapi.json"
    );
    let etag = spec.header("etag");
    assert!(etag.starts_with('"'), "{etag:?}");
    let again = c
        .get_bytes_with("/api/v1/openapi.json", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    let r = c.get("/api/docs/").await;
    r.expect(200);
    assert!(r.body.as_str().unwrap_or("").contains("swagger"), "{r:?}");
    // The page reads the document from the API's own address.
    let init = c.get_bytes("/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status, 200);
    assert!(
        String::from_utf8_lossy(&init.bytes).contains("/api/v1/openapi.json"),
        "{}",
        String::from_utf8_lossy(&init.bytes)
    );
    let r = c.get("/api/docs/swagger-ui.css").await;
    r.expect(200);
    app.finish().await;
}
