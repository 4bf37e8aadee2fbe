//! Full-text search in English, French and Spanish, with the same hits on SQLite and PostgreSQL.
//!
//! Text is analysed here, in Rust, and nowhere else: split into words, accents folded and
//! lower-cased (so "décent" and "DECENT" are one word), then stemmed with the Snowball stemmer
//! of the language (so "migrants" finds "migrant"). The resulting tokens are what each backend
//! indexes: an FTS5 table per language on SQLite (`search_fts_en`, ..., contentless, keyed by
//! `search_docs.id`) and a `tsvector` column with a partial GIN index per language on PostgreSQL, built from the tokens as they are (no
//! PostgreSQL dictionary runs). A query is parsed here too and turned into each engine's syntax
//! from those same tokens, so `q` is never handed raw to either engine and both find exactly
//! the same records. Relevance order comes from each engine (bm25 on SQLite, `ts_rank_cd` on
//! PostgreSQL; ties by collection and id), so the order of equally relevant hits may differ;
//! a broad query (a word most records hold) comes most recently indexed first instead, the
//! same on both ([`search`]).
//!
//! Every record is indexed once per language (falling back to English where a text lacks the
//! language), in the transaction that writes it; deleted records leave the index.

use std::collections::HashSet;
use std::fmt::Write as _;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use rust_stemmers::{Algorithm, Stemmer};

use super::common::Lang;
use crate::db::AnyConnection;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most words, phrases and prefixes one query may hold.
pub const MAX_TERMS: usize = 16;
/// The shortest prefix (`mi*` is fine, `m*` is not).
pub const MIN_PREFIX: usize = 2;
/// Words indexed per record and language (PostgreSQL keeps positions up to 16,383).
const MAX_TOKENS: usize = 16_000;
/// Longer "words" (pasted hashes, URLs without spaces) are not indexed.
const MAX_WORD_LEN: usize = 60;

fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::En => Algorithm::English,
        Lang::Fr => Algorithm::French,
        Lang::Es => Algorithm::Spanish,
    })
}

/// A word of a text: where it is (bytes) and its folded form (lower-case ASCII letters and
/// digits). A word that folds into several ("l'emploi" does not, but "北京" folds to two) gives
/// several entries with the same span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub folded: String,
}

/// Splits text into words (runs of letters and digits) and folds each.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let mut push = |s: usize, e: usize| {
        let folded = deunicode::deunicode(&text[s..e]).to_lowercase();
        for part in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty() && p.len() <= MAX_WORD_LEN)
        {
            out.push(Word {
                start: s,
                end: e,
                folded: part.to_owned(),
            });
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i);
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// The forms one word is indexed and searched under, in a language: its stem as written, its
/// accents folded after stemming (so "intégrée" and "intégration" meet), and, where it
/// differs, the stem of the word with accents folded first (what a reader who types no
/// accents gets: "integree"). Spanish adverbs in -mente are not stemmed ("íntegramente" is
/// not "integrar"), and a Spanish stem in -acion loses it where the stemmer keeps it on a
/// short word ("migración" meets "migrar").
fn forms(lang: Lang, stem: &Stemmer, original: &str, folded: &str) -> (String, Option<String>) {
    let derive = |token: String| -> String {
        match token.strip_suffix("acion") {
            Some(root) if lang == Lang::Es && root.len() >= 3 => root.to_owned(),
            _ => token,
        }
    };
    let lower = original.to_lowercase();
    let one_word = deunicode::deunicode(&lower)
        .chars()
        .all(|c| c.is_ascii_alphanumeric());
    if !one_word {
        // A word that folds into several ("北京") is indexed by its parts.
        return (derive(stem.stem(folded).into_owned()), None);
    }
    if lang == Lang::Es && folded.len() > 8 && folded.ends_with("mente") {
        return (folded.to_owned(), None);
    }
    let primary = derive(fold(&stem.stem(&lower)));
    let secondary = derive(stem.stem(folded).into_owned());
    let secondary = (secondary != primary).then_some(secondary);
    (primary, secondary)
}

/// Lower-case ASCII letters and digits.
fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Each word of a text with its index forms (see [`forms`]).
fn analysed(lang: Lang, stem: &Stemmer, text: &str) -> Vec<(Word, String, Option<String>)> {
    words(text)
        .into_iter()
        .map(|w| {
            let (primary, secondary) = forms(lang, stem, &text[w.start..w.end], &w.folded);
            (w, primary, secondary)
        })
        .collect()
}

/// The index tokens of texts in a language: the first form of each word, in order (phrases
/// match on them), then the other forms, once each.
pub fn tokens(lang: Lang, texts: &[&str]) -> Vec<String> {
    vocabulary(lang, texts).0
}

/// The index tokens of texts (as [`tokens`]) and their words as typed, folded, with the token
/// of each form: the list typo tolerance looks near words up in.
fn vocabulary(lang: Lang, texts: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
    let stem = stemmer(lang);
    let mut primary = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let mut words: HashSet<(String, String)> = HashSet::new();
    for text in texts {
        for (w, first, second) in analysed(lang, &stem, text) {
            if primary.len() == MAX_TOKENS {
                break;
            }
            words.insert((w.folded.clone(), first.clone()));
            if let Some(second) = second {
                words.insert((w.folded, second.clone()));
                if !others.contains(&second) {
                    others.push(second);
                }
            }
            primary.push(first);
        }
    }
    let known: HashSet<&String> = primary.iter().collect();
    let others: Vec<String> = others.into_iter().filter(|t| !known.contains(t)).collect();
    primary.extend(others);
    primary.truncate(MAX_TOKENS);
    let mut words: Vec<(String, String)> = words.into_iter().collect();
    words.sort_unstable();
    (primary, words)
}

/// One thing a query looks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// A word: as typed (lower-case, folded) and the tokens that match it (its forms and,
    /// with typo tolerance, those of near words the index holds).
    Word { typed: String, tokens: Vec<String> },
    /// Tokens starting with this (folded, and cut to its stem where the stem is shorter).
    Prefix(String),
    /// Words in a row (their first forms).
    Phrase(Vec<String>),
}

/// A parsed query: every group must match (a group matches when one of its terms does), and
/// no excluded term may.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Query {
    pub groups: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

/// Why a query cannot be run, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError(message.into()))
}

enum Token {
    Or,
    Not,
    Item { negated: bool, term: Term },
}

/// Parses what a user typed: words (all must occur), `"quoted phrases"`, prefixes (`migr*`),
/// `OR` between two items (either may occur) and `-word` (or `NOT word`) to exclude.
/// Punctuation inside a word joins its parts into a phrase (`travail-décent`).
///
/// It never refuses what a search box may hold (only a query over [`MAX_QUERY_CHARS`]): an
/// unclosed quote runs to the end, parentheses and `AND` are ignored (every word is required
/// already), an `OR` without an item on each side is ignored, a `*` anywhere but at the end
/// of a word separates, a prefix shorter than [`MIN_PREFIX`] is a word, and terms after the
/// [`MAX_TERMS`]th are ignored. A query with no word to find (empty, punctuation, only
/// exclusions) has no groups: search finds nothing with it and a list ignores it.
pub fn parse(q: &str, lang: Lang) -> Result<Query, QueryError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return err(format!("q must be at most {MAX_QUERY_CHARS} characters"));
    }
    let stem = stemmer(lang);
    let stem_all = |text: &str| analysed(lang, &stem, text);
    let item = |negated: bool, mut words: Vec<(Word, String, Option<String>)>| match words.len() {
        0 => None,
        1 => {
            let (word, first, second) = words.pop()?;
            let tokens = std::iter::once(first).chain(second).collect();
            Some(Token::Item {
                negated,
                term: Term::Word {
                    typed: word.folded,
                    tokens,
                },
            })
        }
        _ => Some(Token::Item {
            negated,
            term: Term::Phrase(words.into_iter().map(|(_, first, _)| first).collect()),
        }),
    };
    let separator = |c: char| c.is_whitespace() || c == '(' || c == ')';
    let mut tokens = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if separator(chars[i]) {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|n| !separator(*n));
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let close = chars[i + 1..]
                .iter()
                .position(|c| *c == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            let text: String = chars[i + 1..close].iter().collect();
            tokens.extend(item(negated, stem_all(&text)));
            i = close + 1;
            continue;
        }
        let end = chars[i..]
            .iter()
            .position(|c| separator(*c) || *c == '"')
            .map_or(chars.len(), |p| i + p);
        let raw: String = chars[i..end].iter().collect();
        i = end;
        match raw.as_str() {
            "OR" if !negated => tokens.push(Token::Or),
            "NOT" if !negated => tokens.push(Token::Not),
            "AND" if !negated => {}
            _ => tokens.extend(word_or_prefix(&raw, negated, lang, &stem, &item, &stem_all)),
        }
    }

    let mut query = Query {
        groups: Vec::new(),
        excluded: Vec::new(),
    };
    let mut joining = false;
    let mut negate_next = false;
    let mut last_was_item = false;
    let mut terms = 0;
    for token in tokens {
        match token {
            Token::Or => joining = last_was_item,
            Token::Not => negate_next = true,
            Token::Item { .. } if terms == MAX_TERMS => break,
            Token::Item { negated, term } if negated || negate_next => {
                query.excluded.push(term);
                (joining, negate_next, last_was_item) = (false, false, false);
                terms += 1;
            }
            Token::Item { term, .. } => {
                match query.groups.last_mut() {
                    Some(group) if joining => group.push(term),
                    _ => query.groups.push(vec![term]),
                }
                (joining, last_was_item) = (false, true);
                terms += 1;
            }
        }
    }
    Ok(query)
}

/// A word as typed, outside quotes: a prefix when it ends with `*` and one word of at least
/// [`MIN_PREFIX`] letters is left, else its words (a phrase when there are several).
fn word_or_prefix(
    raw: &str,
    negated: bool,
    lang: Lang,
    stem: &Stemmer,
    item: &impl Fn(bool, Vec<(Word, String, Option<String>)>) -> Option<Token>,
    stem_all: &impl Fn(&str) -> Vec<(Word, String, Option<String>)>,
) -> Option<Token> {
    if let Some(stripped) = raw.strip_suffix('*')
        && let [word] = words(stripped).as_slice()
        && word.folded.len() >= MIN_PREFIX
    {
        let (first, second) = forms(lang, stem, &stripped[word.start..word.end], &word.folded);
        let word = &word.folded;
        // Tokens are stems: "migrations*" must find "migration" (stem "migrat"), and Spanish
        // "migración*" the cut stem "migr". The prefix is the word up to where its shortest
        // form leaves it.
        let common = std::iter::once(first)
            .chain(second)
            .map(|form| {
                word.bytes()
                    .zip(form.bytes())
                    .take_while(|(a, b)| a == b)
                    .count()
            })
            .min()
            .unwrap_or(word.len());
        let prefix = word[..common.max(MIN_PREFIX).min(word.len())].to_owned();
        return Some(Token::Item {
            negated,
            term: Term::Prefix(prefix),
        });
    }
    item(negated, stem_all(raw))
}

impl Query {
    /// Whether it has no word to find (search finds nothing with it; a list ignores it).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

impl Term {
    fn fts5(&self) -> String {
        // Tokens are ASCII letters and digits only, so quoting needs no escaping.
        match self {
            Term::Word { tokens, .. } => match tokens.as_slice() {
                [one] => format!("\"{one}\""),
                many => format!(
                    "({})",
                    many.iter()
                        .map(|t| format!("\"{t}\""))
                        .collect::<Vec<_>>()
                        .join(" OR ")
                ),
            },
            Term::Prefix(p) => format!("\"{p}\" *"),
            Term::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
        }
    }

    fn tsquery(&self) -> String {
        match self {
            Term::Word { tokens, .. } => match tokens.as_slice() {
                [one] => format!("'{one}'"),
                many => format!(
                    "({})",
                    many.iter()
                        .map(|t| format!("'{t}'"))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            },
            Term::Prefix(p) => format!("'{p}':*"),
            Term::Phrase(ws) => format!(
                "({})",
                ws.iter()
                    .map(|w| format!("'{w}'"))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            ),
        }
    }

    /// Whether the stemmed word `token` is (part of) this term, for highlighting.
    fn touches(&self, token: &str) -> bool {
        match self {
            Term::Word { tokens, .. } => tokens.iter().any(|t| t == token),
            Term::Prefix(p) => token.starts_with(p.as_str()),
            Term::Phrase(ws) => ws.iter().any(|w| w == token),
        }
    }
}

impl Query {
    /// The query in FTS5's syntax.
    pub fn fts5(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let terms: Vec<String> = g.iter().map(Term::fts5).collect();
                format!("({})", terms.join(" OR "))
            })
            .collect();
        let mut out = groups.join(" AND ");
        if !self.excluded.is_empty() {
            let excluded: Vec<String> = self.excluded.iter().map(Term::fts5).collect();
            out = format!("({out}) NOT ({})", excluded.join(" OR "));
        }
        out
    }

    /// The query in PostgreSQL's `tsquery` syntax (cast, never normalised by a dictionary).
    pub fn tsquery(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let terms: Vec<String> = g.iter().map(Term::tsquery).collect();
                format!("({})", terms.join(" | "))
            })
            .collect();
        let mut out = groups.join(" & ");
        if !self.excluded.is_empty() {
            let excluded: Vec<String> = self.excluded.iter().map(Term::tsquery).collect();
            out = format!("{out} & !({})", excluded.join(" | "));
        }
        out
    }

    fn touches(&self, token: &str) -> bool {
        self.groups.iter().flatten().any(|t| t.touches(token))
    }
}

/// The backend a connection talks to, for the SQL that differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(conn: &AnyConnection) -> Backend {
        match conn {
            AnyConnection::Postgresql(_) => Backend::Postgres,
            AnyConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// A raw SQL condition with one bound text.
pub type SqlCondition = diesel::expression::SqlLiteral<
    diesel::sql_types::Bool,
    diesel::expression::UncheckedBind<
        diesel::expression::SqlLiteral<diesel::sql_types::Bool>,
        <String as diesel::expression::AsExpression<Text>>::Expression,
    >,
>;

/// A SQL condition "`id_column` is a record of `collection` matching `query` in `lang`", for a
/// list's `q`. `collection` and `id_column` come from the code, never from a request; the query
/// is a bound parameter.
pub fn matches_sql(
    backend: Backend,
    id_column: &'static str,
    collection: &'static str,
    lang: Lang,
    query: &Query,
) -> SqlCondition {
    let lang = lang.code();
    match backend {
        Backend::Sqlite => diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "{id_column} IN (SELECT d.record_id FROM search_fts_{lang} f JOIN search_docs d \
             ON d.id = f.rowid WHERE d.collection = '{collection}' \
             AND search_fts_{lang} MATCH "
        ))
        .bind::<Text, _>(query.fts5())
        .sql(")"),
        Backend::Postgres => diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "{id_column} IN (SELECT d.record_id FROM search_docs d \
             WHERE d.collection = '{collection}' AND d.lang = '{lang}' AND d.tokens @@ "
        ))
        .bind::<Text, _>(query.tsquery())
        .sql("::tsquery)"),
    }
}

/// Every text of a record a reader sees, in `lang` (English where a text lacks it), in the
/// order the record shows them, at any depth: multilingual texts, names and other plain
/// strings, and the numbers read as facts: figure values and years (a whole number of millions
/// also as that number: 281000000 gives "281000000" and "281"). Left out: other numbers
/// (amounts, coordinates, positions, days), where the facts come from (`sources`, a figure's
/// `source`), ids and addresses (`id`, `url`, `website`), and codes (slugs and snake_case
/// values, ISO dates, two- or three-letter capitals such as country and currency codes, email
/// addresses). An acronym is given in every language it has, so any of them finds the record.
/// Returned as the record's title (its first multilingual text: a title or name) and the
/// other texts.
pub fn visible_texts(value: &serde_json::Value, lang: Lang) -> (String, Vec<String>) {
    let mut out = Vec::new();
    visit(value, None, lang, &mut out);
    out.retain(|(t, _)| !t.trim().is_empty());
    let title = out
        .iter()
        .position(|(_, text)| *text)
        .map(|i| out.remove(i).0)
        .unwrap_or_default();
    (title, out.into_iter().map(|(t, _)| t).collect())
}

/// Visits texts: each with whether it is a multilingual text (a title can only be one).
fn visit(value: &serde_json::Value, key: Option<&str>, lang: Lang, out: &mut Vec<(String, bool)>) {
    use serde_json::Value;
    match value {
        Value::Object(map) if is_text(map) => {
            if key == Some("acronym") {
                let mut all: Vec<String> = Vec::new();
                for code in ["en", "fr", "es"] {
                    if let Some(Value::String(s)) = map.get(code)
                        && !all.contains(s)
                    {
                        all.push(s.clone());
                    }
                }
                out.push((all.join(" "), false));
            } else if let Some(Value::String(s)) = map
                .get(lang.code())
                .filter(|v| v.is_string())
                .or(map.get("en"))
            {
                out.push((s.clone(), true));
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if !["sources", "source", "id", "url", "website"].contains(&k.as_str()) {
                    visit(v, Some(k), lang, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                visit(item, key, lang, out);
            }
        }
        Value::String(s) if !is_code(s) => out.push((s.clone(), false)),
        // The numbers a reader reads as facts: a figure's value and years. Amounts,
        // coordinates, positions and days are not looked for as words (and a write that only
        // changes a budget leaves the index alone).
        Value::Number(n) if key.is_some_and(|k| k == "value" || k.ends_with("year")) => {
            if let Some(i) = n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)) {
                out.push((i.to_string(), false));
                if i != 0 && i % 1_000_000 == 0 {
                    out.push(((i / 1_000_000).to_string(), false));
                }
            }
        }
        _ => {}
    }
}

/// A multilingual text: `en` and maybe `fr`, `es`, strings or null.
fn is_text(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.get("en").is_some_and(serde_json::Value::is_string)
        && map.iter().all(|(k, v)| {
            ["en", "fr", "es"].contains(&k.as_str()) && (v.is_string() || v.is_null())
        })
}

/// A code rather than words: a slug or snake_case value, an ISO date, or two or three capitals.
fn is_code(s: &str) -> bool {
    let slug = !s.is_empty()
        && s.split(['-', '_']).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let date = s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok();
    let capitals = (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
    // An email address reaches a contact; its words would only echo the name and the domain.
    let email = s.contains('@') && !s.contains(char::is_whitespace);
    slug || date || capitals || email
}

/// What a record gives the index in every language: its visible texts ([`visible_texts`]),
/// the first (its title or name) as the title a hit shows, unless `title` names another (the
/// first is then searched as any other text). The record is serialised once.
pub fn entries_of(data: &impl serde::Serialize, title: Option<String>) -> Vec<Entry> {
    let value = serde_json::to_value(data).unwrap_or_default();
    let names = acronyms(&value);
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let (first, mut texts) = visible_texts(&value, lang);
            let title = match &title {
                Some(title) => {
                    texts.insert(0, first);
                    title.clone()
                }
                None => first,
            };
            Entry {
                lang,
                title,
                texts,
                names: names.clone(),
            }
        })
        .collect()
}

/// The acronyms of a record, every language's (see [`visible_texts`]).
pub fn acronyms(value: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(serde_json::Value::Object(map)) = value.get("acronym") {
        for code in ["en", "fr", "es"] {
            if let Some(serde_json::Value::String(s)) = map.get(code)
                && !out.contains(s)
            {
                out.push(s.clone());
            }
        }
    }
    out
}

/// What a record gives the index in one language: its title and its other texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub lang: Lang,
    pub title: String,
    pub texts: Vec<String>,
    /// Names that identify the record (acronyms), weighted with the title.
    pub names: Vec<String>,
}

impl Entry {
    /// The text snippets are cut from: everything but the title.
    fn body(&self) -> String {
        self.texts.join(" · ")
    }

    /// What is indexed: the title, the other texts, then the title and names twice again, so
    /// that a record named by the words ranks above one that mentions them.
    fn indexed(&self) -> Vec<&str> {
        let mut all: Vec<&str> = vec![self.title.as_str()];
        all.extend(self.texts.iter().map(String::as_str));
        for _ in 0..2 {
            all.push(self.title.as_str());
            all.extend(self.names.iter().map(String::as_str));
        }
        all
    }
}

/// The tokens of an entry in PostgreSQL's `tsvector` input syntax (`'word':1 'other':2`).
fn tsvector_literal(tokens: &[String]) -> String {
    let mut out = String::with_capacity(tokens.len() * 10);
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "'{t}':{}", i + 1);
    }
    out
}

#[derive(QueryableByName)]
struct RowLang {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    lang: String,
}

#[derive(QueryableByName)]
struct RowId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Indexes a record (replacing what was indexed before). Run in the record's write transaction.
pub fn index(
    conn: &mut AnyConnection,
    collection: &str,
    record_id: &str,
    entries: &[Entry],
) -> QueryResult<()> {
    remove(conn, collection, record_id)?;
    for entry in entries {
        let (tokens, words) = vocabulary(entry.lang, &entry.indexed());
        insert_words(conn, entry.lang, &words)?;
        let body = entry.body();
        match conn {
            AnyConnection::Sqlite(c) => {
                let row: RowId = diesel::sql_query(
                    "INSERT INTO search_docs (collection, record_id, lang, title, body) \
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind::<Text, _>(collection)
                .bind::<Text, _>(record_id)
                .bind::<Text, _>(entry.lang.code())
                .bind::<Text, _>(&entry.title)
                .bind::<Text, _>(&body)
                .get_result(c)?;
                diesel::sql_query(format!(
                    "INSERT INTO search_fts_{} (rowid, tokens) VALUES (?, ?)",
                    entry.lang.code()
                ))
                .bind::<BigInt, _>(row.id)
                .bind::<Text, _>(tokens.join(" "))
                .execute(c)?;
            }
            AnyConnection::Postgresql(c) => {
                diesel::sql_query(
                    "INSERT INTO search_docs (collection, record_id, lang, title, body, tokens) \
                     VALUES ($1, $2, $3, $4, $5, $6::tsvector)",
                )
                .bind::<Text, _>(collection)
                .bind::<Text, _>(record_id)
                .bind::<Text, _>(entry.lang.code())
                .bind::<Text, _>(&entry.title)
                .bind::<Text, _>(&body)
                .bind::<Text, _>(tsvector_literal(&tokens))
                .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Indexes many new records at once, in multi-row INSERTs (bulk loads). Run in their write
/// transaction.
pub fn index_many(
    conn: &mut AnyConnection,
    collection: &str,
    records: &[(&str, Vec<Entry>)],
) -> QueryResult<()> {
    struct Row<'a> {
        record_id: &'a str,
        lang: &'static str,
        title: &'a str,
        body: String,
        tokens: Vec<String>,
    }
    let mut words: Vec<HashSet<(String, String)>> = vec![HashSet::new(); Lang::ALL.len()];
    let mut rows: Vec<Row> = Vec::new();
    for (id, entries) in records {
        for e in entries {
            let (tokens, entry_words) = vocabulary(e.lang, &e.indexed());
            if let Some(set) = Lang::ALL
                .iter()
                .position(|l| *l == e.lang)
                .and_then(|i| words.get_mut(i))
            {
                set.extend(entry_words);
            }
            rows.push(Row {
                record_id: id,
                lang: e.lang.code(),
                title: &e.title,
                body: e.body(),
                tokens,
            });
        }
    }
    for (lang, set) in Lang::ALL.into_iter().zip(words) {
        let mut set: Vec<(String, String)> = set.into_iter().collect();
        set.sort_unstable();
        insert_words(conn, lang, &set)?;
    }
    // 6 parameters a row: 2,000 rows stay under SQLite's 32,766 bound parameters.
    for chunk in rows.chunks(2000) {
        match conn {
            AnyConnection::Sqlite(c) => {
                #[derive(QueryableByName)]
                struct Max {
                    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
                    id: Option<i64>,
                }
                let first = diesel::sql_query("SELECT MAX(id) AS id FROM search_docs")
                    .get_result::<Max>(c)?
                    .id
                    .unwrap_or(0)
                    + 1;
                let values = vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
                let mut docs = diesel::sql_query(format!(
                    "INSERT INTO search_docs (id, collection, record_id, lang, title, body)                      VALUES {values}"
                ))
                .into_boxed::<diesel::sqlite::Sqlite>();
                for (n, row) in (first..).zip(chunk) {
                    docs = docs
                        .bind::<BigInt, _>(n)
                        .bind::<Text, _>(collection)
                        .bind::<Text, _>(row.record_id)
                        .bind::<Text, _>(row.lang)
                        .bind::<Text, _>(row.title)
                        .bind::<Text, _>(row.body.clone());
                }
                docs.execute(c)?;
                // Each language's tokens into its own index.
                for lang in Lang::ALL {
                    let rows: Vec<(i64, &Row)> = (first..)
                        .zip(chunk)
                        .filter(|(_, row)| row.lang == lang.code())
                        .collect();
                    if rows.is_empty() {
                        continue;
                    }
                    let values = vec!["(?, ?)"; rows.len()].join(", ");
                    let mut fts = diesel::sql_query(format!(
                        "INSERT INTO search_fts_{} (rowid, tokens) VALUES {values}",
                        lang.code()
                    ))
                    .into_boxed::<diesel::sqlite::Sqlite>();
                    for (n, row) in rows {
                        fts = fts
                            .bind::<BigInt, _>(n)
                            .bind::<Text, _>(row.tokens.join(" "));
                    }
                    fts.execute(c)?;
                }
            }
            AnyConnection::Postgresql(c) => {
                let values: Vec<String> = (0..chunk.len())
                    .map(|i| {
                        let b = i * 6;
                        format!(
                            "(${}, ${}, ${}, ${}, ${}, ${}::tsvector)",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5,
                            b + 6
                        )
                    })
                    .collect();
                let mut q = diesel::sql_query(format!(
                    "INSERT INTO search_docs (collection, record_id, lang, title, body, tokens)                      VALUES {}",
                    values.join(", ")
                ))
                .into_boxed::<diesel::pg::Pg>();
                for row in chunk {
                    q = q
                        .bind::<Text, _>(collection)
                        .bind::<Text, _>(row.record_id)
                        .bind::<Text, _>(row.lang)
                        .bind::<Text, _>(row.title)
                        .bind::<Text, _>(row.body.clone())
                        .bind::<Text, _>(tsvector_literal(&row.tokens));
                }
                q.execute(c)?;
            }
        }
    }
    Ok(())
}

/// Adds words (as typed, folded) and their tokens to the word list of a language, once each.
fn insert_words(
    conn: &mut AnyConnection,
    lang: Lang,
    words: &[(String, String)],
) -> QueryResult<()> {
    if words.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(words).unwrap_or_else(|_| "[]".to_owned());
    match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "INSERT OR IGNORE INTO search_words (lang, word, token) \
             SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(json)
        .execute(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "INSERT INTO search_words (lang, word, token) \
             SELECT $1, x->>0, x->>1 FROM jsonb_array_elements($2::jsonb) x \
             ON CONFLICT DO NOTHING",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(json)
        .execute(c)?,
    };
    Ok(())
}

/// The words the index holds that are one edit (a letter deleted, inserted, replaced, or two
/// swapped) from `typed` (lower-case, folded), with their tokens.
pub fn near_words(
    conn: &mut AnyConnection,
    lang: Lang,
    typed: &str,
) -> QueryResult<Vec<(String, String)>> {
    #[derive(QueryableByName)]
    struct Near {
        #[diesel(sql_type = Text)]
        word: String,
        #[diesel(sql_type = Text)]
        token: String,
    }
    let variants = serde_json::to_string(&edits(typed)).unwrap_or_else(|_| "[]".to_owned());
    let rows: Vec<Near> = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "SELECT word, token FROM search_words WHERE lang = ? \
             AND word IN (SELECT value FROM json_each(?)) ORDER BY word, token",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(variants)
        .load(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT word, token FROM search_words WHERE lang = $1 \
             AND word IN (SELECT jsonb_array_elements_text($2::jsonb)) ORDER BY word, token",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(variants)
        .load(c)?,
    };
    Ok(rows.into_iter().map(|r| (r.word, r.token)).collect())
}

/// Every string one edit from `word` (Damerau: deletion, insertion, substitution of a letter
/// or digit, or transposition of two neighbours), `word` left out.
fn edits(word: &str) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let at = |i: usize| chars[..i].iter().collect::<String>();
    let after = |i: usize| chars[i..].iter().collect::<String>();
    for i in 0..chars.len() {
        out.push(format!("{}{}", at(i), after(i + 1)));
        if i + 1 < chars.len() {
            out.push(format!(
                "{}{}{}{}",
                at(i),
                chars[i + 1],
                chars[i],
                after(i + 2)
            ));
        }
        for &c in ALPHABET {
            out.push(format!("{}{}{}", at(i), c as char, after(i + 1)));
        }
    }
    for i in 0..=chars.len() {
        for &c in ALPHABET {
            out.push(format!("{}{}{}", at(i), c as char, after(i)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out.retain(|w| w != word);
    out
}

/// Takes a record out of the index. Run in the record's write transaction.
pub fn remove(conn: &mut AnyConnection, collection: &str, record_id: &str) -> QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => {
            // By rowid, one at a time: FTS5 looks a rowid up directly, but would scan the
            // whole index for `rowid IN (SELECT ...)`.
            let rows: Vec<RowLang> = diesel::sql_query(
                "SELECT id, lang FROM search_docs WHERE collection = ? AND record_id = ?",
            )
            .bind::<Text, _>(collection)
            .bind::<Text, _>(record_id)
            .load(c)?;
            for row in rows {
                let Some(lang) = Lang::from_code(&row.lang) else {
                    continue;
                };
                diesel::sql_query(format!(
                    "DELETE FROM search_fts_{} WHERE rowid = ?",
                    lang.code()
                ))
                .bind::<BigInt, _>(row.id)
                .execute(c)?;
            }
            diesel::sql_query("DELETE FROM search_docs WHERE collection = ? AND record_id = ?")
                .bind::<Text, _>(collection)
                .bind::<Text, _>(record_id)
                .execute(c)?;
        }
        AnyConnection::Postgresql(c) => {
            diesel::sql_query("DELETE FROM search_docs WHERE collection = $1 AND record_id = $2")
                .bind::<Text, _>(collection)
                .bind::<Text, _>(record_id)
                .execute(c)?;
        }
    }
    Ok(())
}

/// A search hit as stored: the snippet is cut by [`snippet`].
#[derive(Debug, Clone, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = Text)]
    pub collection: String,
    #[diesel(sql_type = Text)]
    pub record_id: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Double)]
    pub score: f64,
}

fn collection_condition(collections: &[&'static str]) -> String {
    if collections.is_empty() {
        return String::new();
    }
    // Collection names come from the code's list, never from the request's text.
    format!(
        " AND d.collection IN ({})",
        collections
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The shortest word typo tolerance corrects.
pub const FUZZY_MIN_LETTERS: usize = 5;

/// `query` with typo tolerance: each word of at least [`FUZZY_MIN_LETTERS`] letters that the
/// index does not hold also matches the words it holds one edit away. `None` when no word
/// gains anything (the query as it is is the whole search).
pub fn with_typos(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
) -> QueryResult<Option<Query>> {
    let mut expanded = query.clone();
    let mut gained = false;
    for term in expanded.groups.iter_mut().flatten() {
        let Term::Word { typed, tokens } = term else {
            continue;
        };
        if typed.chars().count() < FUZZY_MIN_LETTERS
            || typed.chars().all(|c| c.is_ascii_digit())
            || knows(conn, lang, typed, tokens)?
        {
            continue;
        }
        for (_, token) in near_words(conn, lang, typed)? {
            if !tokens.contains(&token) {
                tokens.push(token);
                gained = true;
            }
        }
    }
    Ok(gained.then_some(expanded))
}

/// Whether the index holds the word as typed or one of its tokens.
fn knows(
    conn: &mut AnyConnection,
    lang: Lang,
    typed: &str,
    tokens: &[String],
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let tokens = serde_json::to_string(tokens).unwrap_or_else(|_| "[]".to_owned());
    let found: Found = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_words WHERE lang = ?1 AND \
             (word = ?2 OR token IN (SELECT value FROM json_each(?3))) LIMIT 1)",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(typed)
        .bind::<Text, _>(tokens)
        .get_result(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_words WHERE lang = $1 AND \
             (word = $2 OR token IN (SELECT jsonb_array_elements_text($3::jsonb))) LIMIT 1) w",
        )
        .bind::<Text, _>(lang.code())
        .bind::<Text, _>(typed)
        .bind::<Text, _>(tokens)
        .get_result(c)?,
    };
    Ok(found.n > 0)
}

/// Holders a suggestion's candidate is counted up to: past it, candidates are equally common
/// and the first in alphabetical order wins (counting every holder was linear in the data).
const SUGGESTION_CAP: i64 = BROAD_RECORDS;

/// What to search for instead when nothing matches: each word of at least 3 letters that the
/// index does not hold replaced by the word one edit away that most records hold (counted up
/// to [`SUGGESTION_CAP`]; as the index keeps it: lower-case, accents folded). Only for queries of plain words; `None` when there
/// is nothing better, or it finds nothing either.
pub fn suggestion(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
) -> QueryResult<Option<String>> {
    let mut words = Vec::new();
    let mut changed = false;
    for group in &query.groups {
        let [Term::Word { typed, tokens }] = group.as_slice() else {
            return Ok(None);
        };
        if typed.chars().count() >= 3 && !knows(conn, lang, typed, tokens)? {
            let mut best: Option<(i64, String)> = None;
            let mut near: Vec<String> = near_words(conn, lang, typed)?
                .into_iter()
                .map(|(word, _)| word)
                .collect();
            near.dedup();
            for word in near.into_iter().take(10) {
                let Ok(candidate) = parse(&word, lang) else {
                    continue;
                };
                let n = holders(conn, &candidate, lang, SUGGESTION_CAP)?;
                if n > 0 && best.as_ref().is_none_or(|(m, _)| n > *m) {
                    best = Some((n, word));
                }
            }
            if let Some((_, word)) = best {
                words.push(word);
                changed = true;
                continue;
            }
        }
        words.push(typed.clone());
    }
    if !changed {
        return Ok(None);
    }
    let suggested = words.join(" ");
    let Ok(parsed) = parse(&suggested, lang) else {
        return Ok(None);
    };
    Ok((holders(conn, &parsed, lang, 1)? > 0).then_some(suggested))
}

/// Records a single word of a query must be held by (in the language searched) for the query
/// to be broad: its hits then come most recently indexed first instead of by relevance.
pub const BROAD_RECORDS: i64 = 5_000;

/// The most index words a prefix is looked up as, word by word (see [`with_prefix_words`]).
const PREFIX_WORDS: usize = 64;

/// How a page of hits is ordered (a page's `ranked_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = RankedBy)]
pub enum Order {
    /// Best first.
    Relevance,
    /// Most recently indexed first: a word of the query is held by more records than the
    /// service ranks (5,000 by default), or is a prefix of more than 64 words.
    Recency,
}

/// A page of hits and how it is ordered: by relevance, unless a word of the query (required
/// or excluded) is held by more than `broad` records, or is a prefix of more than 64 words,
/// when it is most recently indexed first (see docs/API.md, "Search"). Ranking costs what
/// weighing every holder of every word costs (bm25's and `ts_rank_cd`'s statistics and
/// scores), which grows with the data; reading the newest matches costs what the page costs.
///
/// The query is the one [`with_prefix_words`] made (a prefix left as it is would be read as
/// broad). With typo tolerance it is the one [`with_typos`] made: it gains near words only for
/// words no record holds, so no record matches the query as typed and every hit comes through
/// a near word; none is ranked above an exact match.
pub fn search(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
    collections: &[&'static str],
    (offset, limit): (i64, i64),
    broad: i64,
) -> QueryResult<(Vec<Hit>, Order)> {
    if query.is_empty() {
        return Ok((Vec::new(), Order::Relevance));
    }
    let (fts5, tsquery) = (query.fts5(), query.tsquery());
    if is_broad(conn, query, lang, broad)? {
        let hits = newest(conn, &fts5, &tsquery, lang, collections, offset, limit)?;
        return Ok((hits, Order::Recency));
    }
    let hits = ranked(conn, &fts5, &tsquery, lang, collections, offset, limit)?;
    Ok((hits, Order::Relevance))
}

/// The first token past every token starting with `prefix` (tokens are ASCII letters and
/// digits, so the last byte can be raised by one).
fn past(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// `query` with each prefix the index knows at most 64 words for replaced by those words (a
/// prefix of no word by a word no record holds).
/// Both engines answer a prefix by merging the whole lists of every token it covers before
/// the first hit (FTS5 took 31 ms for `migr*` at 1,000,000 records), while an `OR` of the
/// same tokens is read lazily. The words come from `search_words`, which holds every token
/// the index has held; one no record holds any more matches nothing, so the hits are the same
/// (but counts towards the 64).
pub fn with_prefix_words(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
) -> QueryResult<Query> {
    #[derive(QueryableByName)]
    struct Token {
        #[diesel(sql_type = Text)]
        token: String,
    }
    let mut out = query.clone();
    for term in out
        .groups
        .iter_mut()
        .flatten()
        .chain(out.excluded.iter_mut())
    {
        let Term::Prefix(prefix) = term else {
            continue;
        };
        let limit = PREFIX_WORDS as i64 + 1;
        let rows: Vec<Token> = match conn {
            AnyConnection::Sqlite(c) => diesel::sql_query(
                "SELECT DISTINCT token FROM search_words \
                 WHERE lang = ? AND token >= ? AND token < ? ORDER BY token LIMIT ?",
            )
            .bind::<Text, _>(lang.code())
            .bind::<Text, _>(prefix.as_str())
            .bind::<Text, _>(past(prefix))
            .bind::<BigInt, _>(limit)
            .load(c)?,
            AnyConnection::Postgresql(c) => diesel::sql_query(
                "SELECT DISTINCT token COLLATE \"C\" AS token FROM search_words \
                 WHERE lang = $1 AND token >= $2 COLLATE \"C\" AND token < $3 COLLATE \"C\" \
                 ORDER BY 1 LIMIT $4",
            )
            .bind::<Text, _>(lang.code())
            .bind::<Text, _>(prefix.as_str())
            .bind::<Text, _>(past(prefix))
            .bind::<BigInt, _>(limit)
            .load(c)?,
        };
        if rows.len() <= PREFIX_WORDS {
            // No word: no token starts with the prefix, so the prefix itself as a word is one
            // no record holds, and the term matches nothing (as the prefix did), cheaply.
            let mut tokens: Vec<String> = rows.into_iter().map(|r| r.token).collect();
            if tokens.is_empty() {
                tokens.push(prefix.clone());
            }
            *term = Term::Word {
                typed: format!("{prefix}*"),
                tokens,
            };
        }
    }
    Ok(out)
}

/// Whether a term of the query (required or excluded) is held by more than `broad` records in
/// the language, or is a prefix [`with_prefix_words`] left as it is (more than 64 words). Each
/// term is probed alone and the probe stops at `broad + 1` holders, so it costs at most that
/// many index entries per term, however common the word.
fn is_broad(conn: &mut AnyConnection, query: &Query, lang: Lang, broad: i64) -> QueryResult<bool> {
    for term in query.groups.iter().flatten().chain(&query.excluded) {
        if matches!(term, Term::Prefix(_)) {
            return Ok(true);
        }
        let alone = Query {
            groups: vec![vec![term.clone()]],
            excluded: Vec::new(),
        };
        // On PostgreSQL the capped count still reads a heap row per holder (about 7 µs each:
        // 18 ms for a word of 2,600 holders), so the planner's estimate from its statistics
        // of the index's words decides when it is far from the threshold (within 2x of the
        // truth for the words that matter, measured in bench/RESULTS.md); near it, the count.
        // Below 1,000 the count is as cheap as planning (and tiny tables have no statistics).
        // A phrase is estimated as if its words were independent ("cohesión social": 2,224
        // estimated, 83,116 held), so only its rarest word's estimate, an upper bound of its
        // holders, may clear it; anything else is counted.
        match term {
            _ if broad < 1_000 => {}
            Term::Phrase(words) => {
                let mut rarest: Option<i64> = None;
                for word in words {
                    let alone = Query {
                        groups: vec![vec![Term::Word {
                            typed: word.clone(),
                            tokens: vec![word.clone()],
                        }]],
                        excluded: Vec::new(),
                    };
                    rarest = match (rarest, estimated_holders(conn, &alone, lang)?) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                if rarest.is_some_and(|e| e.saturating_mul(2) < broad) {
                    continue;
                }
            }
            _ => match estimated_holders(conn, &alone, lang)? {
                Some(e) if e.saturating_mul(2) < broad => continue,
                Some(e) if e > broad.saturating_mul(2) => return Ok(true),
                _ => {}
            },
        }
        if holders(conn, &alone, lang, broad + 1)? > broad {
            return Ok(true);
        }
    }
    Ok(false)
}

/// PostgreSQL's estimate of the records holding `query` in `lang` (the rows its planner
/// expects, from `ANALYZE`'s most common words of `search_docs.tokens`); `None` on SQLite,
/// whose capped count reads only the index.
fn estimated_holders(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Plan {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        plan: String,
    }
    let AnyConnection::Postgresql(c) = conn else {
        return Ok(None);
    };
    let plan: Plan = diesel::sql_query(format!(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_docs d \
         WHERE d.tokens @@ $1::tsquery AND d.lang = '{l}'",
        l = lang.code()
    ))
    .bind::<Text, _>(query.tsquery())
    .get_result(c)?;
    let rows = serde_json::from_str::<serde_json::Value>(&plan.plan)
        .ok()
        .and_then(|v| v[0]["Plan"]["Plan Rows"].as_f64());
    // Rows are estimated as a float; an absurd one is left to the count.
    Ok(rows
        .filter(|r| r.is_finite() && *r >= 0.0)
        .map(|r| r as i64))
}

/// How many records match `query` in `lang`, counted up to `cap`.
fn holders(conn: &mut AnyConnection, query: &Query, lang: Lang, cap: i64) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    if query.is_empty() {
        return Ok(0);
    }
    let held: Held = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(format!(
            "SELECT COUNT(*) AS n FROM \
             (SELECT 1 FROM search_fts_{l} WHERE search_fts_{l} MATCH ? LIMIT ?)",
            l = lang.code()
        ))
        .bind::<Text, _>(query.fts5())
        .bind::<BigInt, _>(cap)
        .get_result(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_docs d \
             WHERE d.tokens @@ $1::tsquery AND d.lang = '{l}' LIMIT $2) s",
            l = lang.code()
        ))
        .bind::<Text, _>(query.tsquery())
        .bind::<BigInt, _>(cap)
        .get_result(c)?,
    };
    Ok(held.n)
}

/// A page of the records matching a query, most recently indexed first (by `search_docs.id`,
/// renewed when a record is created or its searchable text changes), in the index's order.
fn newest(
    conn: &mut AnyConnection,
    fts5: &str,
    tsquery: &str,
    lang: Lang,
    collections: &[&'static str],
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Hit>> {
    let only = collection_condition(collections);
    match conn {
        AnyConnection::Sqlite(c) if collections.is_empty() => diesel::sql_query(format!(
            "SELECT d.collection, d.record_id, d.title, d.body, 0.0 AS score \
             FROM (SELECT rowid FROM search_fts_{l} WHERE search_fts_{l} MATCH ? \
                   ORDER BY rowid DESC LIMIT ? OFFSET ?) f \
             JOIN search_docs d ON d.id = f.rowid ORDER BY f.rowid DESC",
            l = lang.code()
        ))
        .bind::<Text, _>(fts5)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c),
        // CROSS JOIN keeps the index as the outer loop, so its order serves the ORDER BY.
        AnyConnection::Sqlite(c) => diesel::sql_query(format!(
            "SELECT d.collection, d.record_id, d.title, d.body, 0.0 AS score \
             FROM search_fts_{l} CROSS JOIN search_docs d ON d.id = search_fts_{l}.rowid \
             WHERE search_fts_{l} MATCH ?{only} \
             ORDER BY search_fts_{l}.rowid DESC LIMIT ? OFFSET ?",
            l = lang.code()
        ))
        .bind::<Text, _>(fts5)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c),
        AnyConnection::Postgresql(c) => {
            // The planner takes a query's words as independent, so for words that occur
            // together (a theme's) it expects a few hundred matches where there are tens of
            // thousands, and gathers and sorts them all (610 ms at 1,000,000 for "skills
            // recognition"), where reading the newest rows backwards finds a page in 0.2 ms.
            // So the newest NEWEST_WINDOW rows are read backwards first: a full page from them
            // is the page (the newest matches of the window are the newest of all); a short
            // one means sparse matches, which the index then gathers.
            let select = |window: &str| {
                format!(
                    "SELECT d.collection, d.record_id, d.title, d.body, 0::float8 AS score \
                     FROM {window} d WHERE d.tokens @@ $1::tsquery AND d.lang = '{l}'{only} \
                     ORDER BY d.id DESC LIMIT $2 OFFSET $3",
                    l = lang.code()
                )
            };
            let recent: Vec<Hit> = diesel::sql_query(select(&format!(
                "(SELECT * FROM search_docs ORDER BY id DESC LIMIT {NEWEST_WINDOW})"
            )))
            .bind::<Text, _>(tsquery)
            .bind::<BigInt, _>(limit)
            .bind::<BigInt, _>(offset)
            .load(c)?;
            if recent.len() as i64 == limit {
                return Ok(recent);
            }
            diesel::sql_query(select("search_docs"))
                .bind::<Text, _>(tsquery)
                .bind::<BigInt, _>(limit)
                .bind::<BigInt, _>(offset)
                .load(c)
        }
    }
}

/// Index rows (all languages) PostgreSQL reads backwards for a broad query's page before it
/// gathers the matches from the index (see [`newest`]).
const NEWEST_WINDOW: i64 = 5_000;

/// A page of the records matching a query (in FTS5's and `tsquery` syntax), by relevance.
fn ranked(
    conn: &mut AnyConnection,
    fts5: &str,
    tsquery: &str,
    lang: Lang,
    collections: &[&'static str],
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Hit>> {
    let only = collection_condition(collections);
    match conn {
        // Across every collection, the page is ranked inside the index first and only its
        // rows are joined: a broad query ("migr*") matches most records, and joining them all
        // before sorting cost most of its time. Ties go in index order.
        AnyConnection::Sqlite(c) if collections.is_empty() => diesel::sql_query(format!(
            "SELECT d.collection, d.record_id, d.title, d.body, f.score AS score \
             FROM (SELECT rowid, -rank AS score FROM search_fts_{l} \
                   WHERE search_fts_{l} MATCH ? ORDER BY rank, rowid LIMIT ? OFFSET ?) f \
             JOIN search_docs d ON d.id = f.rowid ORDER BY f.score DESC, f.rowid",
            l = lang.code()
        ))
        .bind::<Text, _>(fts5)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c),
        AnyConnection::Sqlite(c) => diesel::sql_query(format!(
            "SELECT d.collection, d.record_id, d.title, d.body, -bm25(search_fts_{l}) AS score \
             FROM search_fts_{l} JOIN search_docs d ON d.id = search_fts_{l}.rowid \
             WHERE search_fts_{l} MATCH ?{only} \
             ORDER BY score DESC, d.id LIMIT ? OFFSET ?",
            l = lang.code()
        ))
        .bind::<Text, _>(fts5)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c),
        AnyConnection::Postgresql(c) => diesel::sql_query(format!(
            "SELECT d.collection, d.record_id, d.title, d.body, \
             ts_rank_cd(d.tokens, $1::tsquery, 1)::float8 AS score \
             FROM search_docs d WHERE d.tokens @@ $1::tsquery AND d.lang = '{l}'{only} \
             ORDER BY score DESC, d.collection, d.record_id LIMIT $2 OFFSET $3",
            l = lang.code()
        ))
        .bind::<Text, _>(tsquery)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c),
    }
}

/// Hits a search counts at most (`count=true`, `facets=collection`): counting every hit of a
/// broad query costs what reading all of them costs (780 ms for `migrants` at 1,000,000).
pub const COUNT_CAP: i64 = 5_000;

/// How many records match `query` (as [`with_prefix_words`] made it), per collection, counted
/// over the `cap` most recently indexed matches, and whether that is all of them. One more than `cap` is read to tell "exactly
/// `cap`" from "more".
pub fn count_by_collection(
    conn: &mut AnyConnection,
    query: &Query,
    lang: Lang,
    collections: &[&'static str],
    cap: i64,
) -> QueryResult<(Vec<(String, i64)>, bool)> {
    #[derive(QueryableByName)]
    struct Of {
        #[diesel(sql_type = Text)]
        collection: String,
    }
    if query.is_empty() {
        return Ok((Vec::new(), true));
    }
    let only = collection_condition(collections);
    let read = cap.saturating_add(1);
    let rows: Vec<Of> = match conn {
        // The newest matches come from the index in its order before any row is read.
        AnyConnection::Sqlite(c) if collections.is_empty() => diesel::sql_query(format!(
            "SELECT d.collection \
             FROM (SELECT rowid FROM search_fts_{l} WHERE search_fts_{l} MATCH ? \
                   ORDER BY rowid DESC LIMIT ?) f \
             JOIN search_docs d ON d.id = f.rowid ORDER BY f.rowid DESC",
            l = lang.code()
        ))
        .bind::<Text, _>(query.fts5())
        .bind::<BigInt, _>(read)
        .load(c)?,
        AnyConnection::Sqlite(c) => diesel::sql_query(format!(
            "SELECT d.collection FROM search_fts_{l} \
             CROSS JOIN search_docs d ON d.id = search_fts_{l}.rowid \
             WHERE search_fts_{l} MATCH ?{only} ORDER BY search_fts_{l}.rowid DESC LIMIT ?",
            l = lang.code()
        ))
        .bind::<Text, _>(query.fts5())
        .bind::<BigInt, _>(read)
        .load(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(format!(
            "SELECT d.collection FROM search_docs d \
             WHERE d.tokens @@ $1::tsquery AND d.lang = '{l}'{only} \
             ORDER BY d.id DESC LIMIT $2",
            l = lang.code()
        ))
        .bind::<Text, _>(query.tsquery())
        .bind::<BigInt, _>(read)
        .load(c)?,
    };
    let all = rows.len() as i64 <= cap;
    let mut counts: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for row in rows
        .into_iter()
        .take(usize::try_from(cap).unwrap_or(usize::MAX))
    {
        *counts.entry(row.collection).or_default() += 1;
    }
    Ok((counts.into_iter().collect(), all))
}

/// Whether the index holds anything (a database migrated from before search has to be indexed).
pub fn is_empty(conn: &mut AnyConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct One {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: One =
        diesel::sql_query("SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_docs LIMIT 1) s")
            .get_result(conn)?;
    Ok(row.n == 0)
}

/// Words of context around the first match in a snippet.
const SNIPPET_WORDS: usize = 24;

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// A short passage of `text` around the first words the query matches, HTML-escaped, with
/// the matching words in `<mark>` and `…` where the text was cut.
pub fn snippet(text: &str, query: &Query, lang: Lang) -> String {
    let stem = stemmer(lang);
    let words = analysed(lang, &stem, text);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut matched: HashSet<usize> = HashSet::new();
    for (w, first, second) in &words {
        let touches = query.touches(first) || second.as_ref().is_some_and(|s| query.touches(s));
        if spans.last().is_some_and(|s| s.0 == w.start) {
            // One original word folded into several parts: one span.
            if touches {
                matched.insert(spans.len() - 1);
            }
            continue;
        }
        if touches {
            matched.insert(spans.len());
        }
        spans.push((w.start, w.end));
    }
    if spans.is_empty() {
        let mut out = String::new();
        escape_html(
            text.chars().take(200).collect::<String>().as_str(),
            &mut out,
        );
        return out;
    }
    let first = matched.iter().min().copied().unwrap_or(0);
    let from = first.saturating_sub(SNIPPET_WORDS / 4);
    let to = (from + SNIPPET_WORDS).min(spans.len());
    let mut out = String::new();
    let start = if from == 0 { 0 } else { spans[from].0 };
    if from > 0 {
        out.push('…');
    }
    let mut cursor = start;
    for (i, &(s, e)) in spans.iter().enumerate().take(to).skip(from) {
        escape_html(&text[cursor..s], &mut out);
        if matched.contains(&i) {
            out.push_str("<mark>");
            escape_html(&text[s..e], &mut out);
            out.push_str("</mark>");
        } else {
            escape_html(&text[s..e], &mut out);
        }
        cursor = e;
    }
    if to == spans.len() {
        escape_html(&text[cursor..], &mut out);
    } else {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Query {
        parse(text, Lang::En).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn words_fold_accents_and_case_and_keep_their_place() {
        let ws = words("Travail DÉCENT, l'emploi");
        let folded: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["travail", "decent", "l", "emploi"]);
        assert_eq!(
            &"Travail DÉCENT, l'emploi"[ws[1].start..ws[1].end],
            "DÉCENT"
        );
    }

    #[test]
    fn stemming_makes_plural_and_singular_one_token() {
        assert_eq!(
            tokens(Lang::En, &["migrants"]),
            tokens(Lang::En, &["Migrant"])
        );
        assert_eq!(
            tokens(Lang::Fr, &["travail décent"]),
            tokens(Lang::Fr, &["Travail decent"])
        );
        assert_eq!(
            tokens(Lang::Es, &["migrantes"]),
            tokens(Lang::Es, &["migrante"])
        );
    }

    #[test]
    fn queries_turn_into_both_engines_syntax() {
        let query = q("\"decent work\" migr* city OR town -closed");
        assert_eq!(
            query.fts5(),
            "((\"decent work\") AND (\"migr\" *) AND (\"citi\" OR \"town\")) NOT (\"close\")"
        );
        assert_eq!(
            query.tsquery(),
            "(('decent' <-> 'work')) & ('migr':*) & ('citi' | 'town') & !('close')"
        );
    }

    #[test]
    fn a_prefix_longer_than_its_stem_is_cut_to_the_stem() {
        assert_eq!(
            q("migrations*").groups,
            vec![vec![Term::Prefix("migrat".into())]]
        );
    }

    #[test]
    fn punctuation_inside_a_word_makes_a_phrase() {
        assert_eq!(
            q("travail-décent").groups,
            vec![vec![Term::Phrase(vec!["travail".into(), "decent".into()])]]
        );
    }

    #[test]
    fn whatever_a_search_box_holds_is_read_forgivingly() {
        // Each query reads as the one beside it.
        for (typed, meant) in [
            ("\"decent work", "\"decent work\""),
            (
                "(migrants OR refugees) cities",
                "migrants OR refugees cities",
            ),
            ("OR migrants", "migrants"),
            ("migrants OR", "migrants"),
            ("migrants OR OR refugees", "migrants OR refugees"),
            ("migrants AND cities", "migrants cities"),
            ("migrants NOT cities", "migrants -cities"),
            ("m*", "m"),
            ("mi*gr", "\"mi gr\""),
            ("\"mi* gr\"", "\"mi gr\""),
            ("migrants OR -cities", "migrants -cities"),
        ] {
            assert_eq!(parse(typed, Lang::En), parse(meant, Lang::En), "{typed}");
        }
        for nothing in ["", "!!! ???", "\"\"", "-closed", "NOT closed", "( )", "*"] {
            let query = parse(nothing, Lang::En).expect(nothing);
            assert!(query.is_empty(), "{nothing}: {query:?}");
        }
        // Terms after the 16th are ignored; only the length is refused.
        let many: String = (0..20).map(|n| format!("w{n} ")).collect();
        let query = parse(&many, Lang::En).expect("many words");
        assert_eq!(query.groups.len(), MAX_TERMS);
        assert_eq!(
            query.groups[15],
            vec![Term::Word {
                typed: "w15".into(),
                tokens: vec!["w15".into()]
            }]
        );
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(
            parse(&long, Lang::En)
                .unwrap_err()
                .0
                .contains("at most 200")
        );
    }

    #[test]
    fn snippets_mark_matches_and_escape_html() {
        let query = q("migrant");
        let s = snippet(
            "Cities <b>welcome</b> Migrants & refugees",
            &query,
            Lang::En,
        );
        assert_eq!(
            s,
            "Cities &lt;b&gt;welcome&lt;/b&gt; <mark>Migrants</mark> &amp; refugees"
        );
        let long = format!("{} migrants {}", "word ".repeat(40), "tail ".repeat(40));
        let s = snippet(&long, &query, Lang::En);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>migrants</mark>"));
    }
}
