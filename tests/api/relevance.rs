//! Search relevance, measured: the queries of `relevance.json` (at least 20 per language:
//! inflections, accents typed or not, acronyms, typos, numbers, names, phrases) against the
//! built-in dataset, each with the records a reader expects in the top 10 (the first the one
//! most wanted), and negative cases that must not match. Prints recall@10 and MRR per language
//! and holds them at 0.95 and 0.8, on whichever backend the run uses.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::helpers::spawn_seeded_app;

/// The hits of a search, as `collection/id`.
async fn top(app: &crate::helpers::TestApp, lang: &str, q: &str) -> Vec<String> {
    let path = format!("/v1/search?q={}&lang={lang}&limit=10", urlencode(q));
    let response = app.get(&path).await;
    assert_eq!(response.status(), 200, "{path}");
    let body: Value = response.json().await.expect("json");
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|h| {
            format!(
                "{}/{}",
                h["collection"].as_str().unwrap(),
                h["id"].as_str().unwrap()
            )
        })
        .collect()
}

fn urlencode(q: &str) -> String {
    serde_urlencoded::to_string([("q", q)])
        .expect("encodable")
        .trim_start_matches("q=")
        .to_owned()
}

#[tokio::test]
async fn readers_find_what_they_mean_in_each_language() {
    let app = spawn_seeded_app().await;
    let set: Value =
        serde_json::from_str(include_str!("relevance.json")).expect("relevance.json parses");
    // Per language: (queries, sum of recall@10, sum of reciprocal ranks).
    let mut scores: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in set["queries"].as_array().expect("queries") {
        let lang = case["lang"].as_str().unwrap();
        let q = case["q"].as_str().unwrap();
        let expect: Vec<&str> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        let found = top(&app, lang, q).await;
        let recalled = expect
            .iter()
            .filter(|e| found.iter().any(|f| f == *e))
            .count();
        let rank = found.iter().position(|f| f == expect[0]);
        let entry = scores.entry(lang.to_owned()).or_default();
        entry.0 += 1;
        entry.1 += recalled as f64 / expect.len() as f64;
        entry.2 += rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
        if recalled < expect.len() || rank != Some(0) {
            misses.push(format!(
                "{lang} {q:?} ({}): expected {expect:?}, found {found:?}",
                case["kind"].as_str().unwrap_or("")
            ));
        }
    }
    for miss in &misses {
        println!("not perfect: {miss}");
    }
    let mut failed = Vec::new();
    for (lang, (n, recall, rr)) in &scores {
        let (recall, mrr) = (recall / *n as f64, rr / *n as f64);
        println!("{lang}: {n} queries, mean recall@10 {recall:.3}, MRR {mrr:.3}");
        assert!(*n >= 20, "{lang}: only {n} queries");
        if recall < 0.95 || mrr < 0.8 {
            failed.push(format!("{lang}: recall@10 {recall:.3}, MRR {mrr:.3}"));
        }
    }
    assert_eq!(scores.len(), 3, "every language has queries");
    for case in set["negatives"].as_array().expect("negatives") {
        let lang = case["lang"].as_str().unwrap();
        let q = case["q"].as_str().unwrap();
        let found = top(&app, lang, q).await;
        for unwanted in case["must_not"].as_array().unwrap() {
            let unwanted = unwanted.as_str().unwrap();
            if found.iter().any(|f| f == unwanted) {
                failed.push(format!(
                    "negative {lang} {q:?} found {unwanted} ({})",
                    case["why"].as_str().unwrap_or("")
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
