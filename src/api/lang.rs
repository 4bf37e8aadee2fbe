//! Language negotiation (`?lang=`, `Accept-Language`) and the rendering of multilingual text.

use std::collections::BTreeSet;

use actix_web::HttpRequest;
use actix_web::http::header;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::models::Lang;

/// The language a response is rendered in: one language, or all of them (`?lang=all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LangChoice {
    One(Lang),
    All,
}

impl LangChoice {
    /// The `Content-Language` header value.
    pub fn content_language(self) -> &'static str {
        match self {
            LangChoice::One(lang) => lang.code(),
            LangChoice::All => "en, fr, es",
        }
    }

    /// The tag used in ETags.
    pub fn tag(self) -> &'static str {
        match self {
            LangChoice::One(lang) => lang.code(),
            LangChoice::All => "all",
        }
    }

    /// The language searched by `q` (English for `all`).
    pub fn search_lang(self) -> Lang {
        match self {
            LangChoice::One(lang) => lang,
            LangChoice::All => Lang::En,
        }
    }
}

/// Picks the language: `?lang=` (given as `lang_param`) wins; otherwise the `Accept-Language`
/// entry with the highest q-value among en, fr and es; otherwise English.
pub fn negotiate(req: &HttpRequest, lang_param: Option<&str>) -> Result<LangChoice, AppError> {
    if let Some(value) = lang_param {
        return match value {
            "all" => Ok(LangChoice::All),
            code => Lang::from_code(code).map(LangChoice::One).ok_or_else(|| {
                AppError::InvalidQuery(format!(
                    "lang must be one of en, fr, es, all (got '{code}')"
                ))
            }),
        };
    }
    let Some(accept) = req.headers().get(header::ACCEPT_LANGUAGE) else {
        return Ok(LangChoice::One(Lang::En));
    };
    // An unreadable header is ignored, as browsers send many shapes of it.
    let accept = accept.to_str().unwrap_or("");
    Ok(LangChoice::One(from_accept_language(accept)))
}

/// The best of en, fr and es for an `Accept-Language` value (RFC 9110 section 12.5.4).
pub fn from_accept_language(value: &str) -> Lang {
    let mut best: Option<(u16, usize, Lang)> = None;
    for (index, item) in value.split(',').enumerate() {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut quality = 1000u16;
        for param in parts {
            if let Some(q) = param
                .trim()
                .strip_prefix("q=")
                .or_else(|| param.trim().strip_prefix("Q="))
            {
                quality = q
                    .trim()
                    .parse::<f32>()
                    .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16);
            }
        }
        if quality == 0 {
            continue;
        }
        let primary = range.split('-').next().unwrap_or("");
        let lang = match primary {
            "*" => Lang::En,
            code => match Lang::from_code(code) {
                Some(lang) => lang,
                None => continue,
            },
        };
        // Higher quality wins; on a tie, the earlier entry.
        let better = match best {
            None => true,
            Some((q, i, _)) => quality > q || (quality == q && index < i),
        };
        if better {
            best = Some((quality, index, lang));
        }
    }
    best.map_or(Lang::En, |(_, _, lang)| lang)
}

/// The language a write's plain-string text values are in: `Content-Language`, default English.
pub fn content_language(req: &HttpRequest) -> Result<Lang, AppError> {
    let Some(value) = req.headers().get(header::CONTENT_LANGUAGE) else {
        return Ok(Lang::En);
    };
    let value = value.to_str().unwrap_or("").trim().to_ascii_lowercase();
    let primary = value.split(['-', ',']).next().unwrap_or("").trim();
    Lang::from_code(primary).ok_or_else(|| {
        AppError::InvalidHeader(format!(
            "Content-Language must be en, fr or es (got '{value}')"
        ))
    })
}

/// A text in the requested language, or in every language (`?lang=all`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LocalizedText {
    /// The text in the requested language (English when that one is missing).
    #[schema(example = "Partnership between Santiago and Mexico City")]
    One(String),
    /// Every language (`?lang=all`); a missing language is null.
    All(AllLanguages),
}

/// A text in each language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllLanguages {
    /// English; always present.
    pub en: String,
    /// French, or null when missing.
    pub fr: Option<String>,
    /// Spanish, or null when missing.
    pub es: Option<String>,
}

/// Renders texts in a [`LangChoice`], noting which languages a record lacks.
#[derive(Debug)]
pub struct Renderer {
    pub choice: LangChoice,
    missing: BTreeSet<Lang>,
}

impl Renderer {
    pub fn new(choice: LangChoice) -> Self {
        Self {
            choice,
            missing: BTreeSet::new(),
        }
    }

    /// A text in the chosen language, as JSON: the string, English when the language is not
    /// held (which is noted), or every language with null for those not held (`lang=all`, the
    /// shape of [`LocalizedText`]). `take` hands over the text in one language, if held; it is
    /// called at most once per language, so the strings are moved, never copied.
    pub fn choose(&mut self, mut take: impl FnMut(Lang) -> Option<String>) -> serde_json::Value {
        use serde_json::Value;
        match self.choice {
            LangChoice::One(lang) => Value::String(take(lang).unwrap_or_else(|| {
                self.missing.insert(lang);
                take(Lang::En).unwrap_or_default()
            })),
            LangChoice::All => {
                let mut all = serde_json::Map::new();
                for lang in Lang::ALL {
                    let text = take(lang);
                    if text.is_none() {
                        self.missing.insert(lang);
                    }
                    all.insert(lang.code().into(), text.map_or(Value::Null, Value::String));
                }
                Value::Object(all)
            }
        }
    }

    /// The languages lacking since the last call, for one record's `missing_languages`.
    pub fn take_missing(&mut self) -> Vec<Lang> {
        std::mem::take(&mut self.missing).into_iter().collect()
    }
}

/// Renders the texts of a stored document in the chosen language, in place: every object whose
/// members are languages (English among them) is a text.
pub fn localize(value: &mut serde_json::Value, r: &mut Renderer) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let is_text = map.get("en").is_some_and(Value::is_string)
                && map
                    .iter()
                    .all(|(k, v)| Lang::from_code(k).is_some() && (v.is_string() || v.is_null()));
            if is_text {
                *value = r.choose(|lang| match map.remove(lang.code()) {
                    Some(Value::String(s)) => Some(s),
                    _ => None,
                });
            } else {
                map.values_mut().for_each(|v| localize(v, r));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| localize(v, r)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_highest_quality_known_language() {
        assert_eq!(from_accept_language("de-DE, fr;q=0.8, es;q=0.9"), Lang::Es);
        assert_eq!(from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"), Lang::Fr);
        assert_eq!(from_accept_language("es;q=0, fr;q=0.1"), Lang::Fr);
        assert_eq!(from_accept_language("de, it"), Lang::En);
        assert_eq!(from_accept_language("*;q=0.5, es;q=0.4"), Lang::En);
        assert_eq!(from_accept_language(""), Lang::En);
        assert_eq!(from_accept_language("fr;q=abc, es"), Lang::Es);
    }

    #[test]
    fn localize_renders_nested_texts_and_collects_missing_languages() {
        let mut doc = serde_json::json!({
            "title": {"en": "Title", "fr": "Titre"},
            "headquarters": {"city": {"en": "Geneva", "es": "Ginebra"}, "country": "CH"},
            "items": [{"id": "a", "text": {"en": "A"}}],
            "year": 2024
        });
        let mut r = Renderer::new(LangChoice::One(Lang::Fr));
        localize(&mut doc, &mut r);
        assert_eq!(
            doc,
            serde_json::json!({"title": "Titre", "headquarters": {"city": "Geneva", "country": "CH"}, "items": [{"id": "a", "text": "A"}], "year": 2024})
        );
        assert_eq!(r.take_missing(), vec![Lang::Fr]);
    }

    #[test]
    fn localize_in_every_language_gives_each_one_or_null_and_notes_the_missing() {
        let mut doc = serde_json::json!({
            "title": {"es": "Título", "en": "Title", "fr": null},
            "names": [{"en": "A", "fr": "Á", "es": "Á"}],
        });
        let mut r = Renderer::new(LangChoice::All);
        localize(&mut doc, &mut r);
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"title":{"en":"Title","fr":null,"es":"Título"},"names":[{"en":"A","fr":"Á","es":"Á"}]}"#
        );
        assert_eq!(r.take_missing(), vec![Lang::Fr]);
        // Spanish asked, held: no fallback, nothing missing.
        let mut doc = serde_json::json!({"title": {"en": "Title", "es": "Título"}});
        let mut r = Renderer::new(LangChoice::One(Lang::Es));
        localize(&mut doc, &mut r);
        assert_eq!(doc, serde_json::json!({"title": "Título"}));
        assert!(r.take_missing().is_empty());
    }
}
