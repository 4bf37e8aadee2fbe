//! Validation of record documents: [`Checker`] checks a parsed JSON document member by member so
//! that a refusal lists every broken member at once (as [`Invalid`], which the HTTP layer turns
//! into a 422), plus JSON Merge Patch (RFC 7396) and the rules for ids.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};
use validator::{ValidateEmail, ValidateUrl};

use super::members::Member;
use crate::error::{FieldError, Invalid};
use crate::models::{Lang, Text};

/// The years a date may fall in, as years themselves (`Int(1900, 2200)`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The longest id, as API.md sets it.
pub const MAX_ID_LEN: usize = 80;

pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Applies a JSON Merge Patch (RFC 7396) to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Rewrites plain-string values of the given top-level text members into `{lang: value}`, so
/// that a merge patch replaces only that language.
pub fn strings_to_language_objects(
    patch: &mut Map<String, Value>,
    text_members: impl IntoIterator<Item = &'static str>,
    lang: Lang,
) {
    for member in text_members {
        if let Some(value) = patch.get_mut(member)
            && let Value::String(s) = value
        {
            let mut object = Map::new();
            object.insert(lang.code().to_owned(), Value::String(std::mem::take(s)));
            *value = Value::Object(object);
        }
    }
}

/// Escapes a member name for a JSON Pointer.
pub fn pointer(path: &str, member: &str) -> String {
    format!("{path}/{}", member.replace('~', "~0").replace('/', "~1"))
}

/// Collects every broken member of a document.
#[derive(Debug)]
pub struct Checker {
    errors: Vec<FieldError>,
    /// The language of plain-string text values.
    pub lang: Lang,
}

/// A string's limits.
#[derive(Debug, Clone, Copy)]
pub struct Len(pub usize);

impl Checker {
    pub fn new(lang: Lang) -> Self {
        Self {
            errors: Vec::new(),
            lang,
        }
    }

    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Ends the check: the value, or every broken member.
    pub fn finish<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Invalid(self.errors))
        }
    }

    /// Reports members not in `allowed` (read-only ones with their own message).
    pub fn only(&mut self, object: &Map<String, Value>, path: &str, allowed: &[&str]) {
        self.only_where(object, path, |key| allowed.contains(&key));
    }

    /// Reports members that are not among a type's `members` (see [`members!`]).
    ///
    /// [`members!`]: crate::records::members::members
    pub fn only_members(&mut self, object: &Map<String, Value>, path: &str, members: &[Member]) {
        self.only_where(object, path, |key| members.iter().any(|m| m.name == key));
    }

    /// Reports members for which `allowed` is false.
    pub fn only_where(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        allowed: impl Fn(&str) -> bool,
    ) {
        for key in object.keys() {
            if allowed(key) {
                continue;
            }
            let message = if ["created_at", "updated_at", "version", "missing_languages"]
                .contains(&key.as_str())
            {
                "is read-only and set by the server"
            } else {
                "is not a member of this schema"
            };
            self.fail(pointer(path, key), message);
        }
    }

    /// A member that must be an object.
    pub fn object<'v>(&mut self, value: &'v Value, field: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.fail(
                    field,
                    format!("must be an object, not {}", json_type(other)),
                );
                None
            }
        }
    }

    /// Looks a member up: `None` when absent or null, or (with an error) when required.
    fn get<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
    ) -> Option<&'v Value> {
        match object.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.fail(pointer(path, name), "is required");
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    fn check_str(&mut self, field: &str, s: &str, max: Len, multiline: bool) -> bool {
        if s.trim().is_empty() {
            self.fail(field, "must not be empty");
            return false;
        }
        if s.chars().count() > max.0 {
            self.fail(field, format!("must be at most {} characters", max.0));
            return false;
        }
        if s.chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
        {
            self.fail(field, "must not contain control characters");
            return false;
        }
        true
    }

    /// A plain string member.
    pub fn string(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
        max: Len,
    ) -> Option<String> {
        let field = pointer(path, name);
        match self.get(object, path, name, required)? {
            Value::String(s) => self
                .check_str(&field, s, max, false)
                .then(|| s.trim().to_owned()),
            other => {
                self.fail(field, format!("must be a string, not {}", json_type(other)));
                None
            }
        }
    }

    /// A multilingual text member: a string in the request's language, or an object of
    /// languages (`en` required; a null language is absent).
    pub fn text(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
        max: Len,
    ) -> Option<Text> {
        let value = self.get(object, path, name, required)?;
        self.text_value(value, &pointer(path, name), max)
    }

    /// A multilingual text at `field`.
    pub fn text_value(&mut self, value: &Value, field: &str, max: Len) -> Option<Text> {
        let multiline = max.0 > 500;
        let mut text = Text {
            en: String::new(),
            fr: None,
            es: None,
        };
        match value {
            Value::String(s) => {
                if !self.check_str(field, s, max, multiline) {
                    return None;
                }
                if self.lang != Lang::En {
                    self.fail(
                        field,
                        format!(
                            "English text is required: send an object such as {{\"en\": \"...\", \"{}\": \"...\"}}",
                            self.lang.code()
                        ),
                    );
                    return None;
                }
                text.en = s.trim().to_owned();
            }
            Value::Object(map) => {
                let before = self.errors.len();
                for (key, value) in map {
                    let lang_field = pointer(field, key);
                    let Some(lang) = Lang::from_code(key) else {
                        self.fail(lang_field, "is not a language of this API (en, fr, es)");
                        continue;
                    };
                    let s = match value {
                        Value::Null => continue,
                        Value::String(s) => s,
                        other => {
                            self.fail(
                                lang_field,
                                format!("must be a string, not {}", json_type(other)),
                            );
                            continue;
                        }
                    };
                    if !self.check_str(&lang_field, s, max, multiline) {
                        continue;
                    }
                    let s = s.trim().to_owned();
                    match lang {
                        Lang::En => text.en = s,
                        Lang::Fr => text.fr = Some(s),
                        Lang::Es => text.es = Some(s),
                    }
                }
                if self.errors.len() > before {
                    return None;
                }
                if text.en.is_empty() {
                    self.fail(
                        pointer(field, "en"),
                        "English text is required and cannot be removed",
                    );
                    return None;
                }
            }
            other => {
                self.fail(
                    field,
                    format!(
                        "must be a string or an object of languages, not {}",
                        json_type(other)
                    ),
                );
                return None;
            }
        }
        Some(text)
    }

    /// A member from a fixed list of values.
    pub fn one_of(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
        allowed: &[&str],
    ) -> Option<String> {
        let field = pointer(path, name);
        match self.get(object, path, name, required)? {
            Value::String(s) if allowed.contains(&s.as_str()) => Some(s.clone()),
            _ => {
                self.fail(field, format!("must be one of: {}", allowed.join(", ")));
                None
            }
        }
    }

    /// A slug (`^[a-z0-9]+(-[a-z0-9]+)*$`, at most 80 characters).
    pub fn slug(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
    ) -> Option<String> {
        let value = self.get(object, path, name, required)?;
        self.slug_value(value, &pointer(path, name))
    }

    pub fn slug_value(&mut self, value: &Value, field: &str) -> Option<String> {
        match value {
            Value::String(s) if is_slug(s) => Some(s.clone()),
            _ => {
                self.fail(field, "must be a slug: lower-case letters and digits in words joined by '-', at most 80 characters");
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date of the years [`YEARS`] (every date stored can then be sorted,
    /// paged by cursor, filtered and exported, on both backends).
    pub fn date(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
    ) -> Option<NaiveDate> {
        let field = pointer(path, name);
        let message = format!(
            "must be a date YYYY-MM-DD from {}-01-01 to {}-12-31",
            YEARS.start(),
            YEARS.end()
        );
        match self.get(object, path, name, false)? {
            Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(date) if s.len() == 10 && YEARS.contains(&date.year()) => Some(date),
                _ => {
                    self.fail(field, message);
                    None
                }
            },
            _ => {
                self.fail(field, message);
                None
            }
        }
    }

    /// A number within `min..=max`.
    pub fn number(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
        min: f64,
        max: f64,
    ) -> Option<f64> {
        let field = pointer(path, name);
        match self.get(object, path, name, required)?.as_f64() {
            Some(n) if n.is_finite() && (min..=max).contains(&n) => Some(n),
            Some(_) => {
                self.fail(field, format!("must be a number from {min} to {max}"));
                None
            }
            None => {
                self.fail(field, "must be a number");
                None
            }
        }
    }

    /// A snake_case code such as a unit (`member_states`).
    pub fn slug_like(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
    ) -> Option<String> {
        let field = pointer(path, name);
        match self.get(object, path, name, true)? {
            Value::String(s)
                if !s.is_empty()
                    && s.len() <= 40
                    && s.split('_').all(|p| {
                        !p.is_empty()
                            && p.bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    }) =>
            {
                Some(s.clone())
            }
            _ => {
                self.fail(field, "must be a snake_case code such as member_states");
                None
            }
        }
    }

    /// A whole number within `min..=max`.
    pub fn int(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let field = pointer(path, name);
        match self.get(object, path, name, required)?.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.fail(field, format!("must be a whole number from {min} to {max}"));
                None
            }
        }
    }

    /// A list of distinct ids (absent or null is empty).
    pub fn slug_list(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        max: usize,
    ) -> Vec<String> {
        let field = pointer(path, name);
        let mut ids = Vec::new();
        for (i, item) in self.array(object, path, name, max).iter().enumerate() {
            if let Some(id) = self.slug_value(item, &format!("{field}/{i}")) {
                ids.push((i, id));
            }
        }
        self.unique(&ids, &field);
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// An ISO 3166-1 alpha-2 country code.
    pub fn country_value(&mut self, value: &Value, field: &str) -> Option<String> {
        match value {
            Value::String(s)
                if s.len() == 2
                    && s.chars().all(|c| c.is_ascii_uppercase())
                    && isocountry::CountryCode::for_alpha2(s).is_ok() =>
            {
                Some(s.clone())
            }
            _ => {
                self.fail(
                    field,
                    "must be an ISO 3166-1 alpha-2 country code in capitals, such as CL",
                );
                None
            }
        }
    }

    pub fn country(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
    ) -> Option<String> {
        let value = self.get(object, path, name, required)?;
        self.country_value(value, &pointer(path, name))
    }

    /// An ISO 4217 currency code.
    pub fn currency(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
    ) -> Option<String> {
        let field = pointer(path, name);
        match self.get(object, path, name, true)? {
            Value::String(s) if iso_currency::Currency::from_code(s).is_some() => Some(s.clone()),
            _ => {
                self.fail(
                    field,
                    "must be an ISO 4217 currency code in capitals, such as USD",
                );
                None
            }
        }
    }

    /// An absolute http(s) URL.
    pub fn url(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
    ) -> Option<String> {
        let field = pointer(path, name);
        let s = self.string(object, path, name, required, Len(2000))?;
        let scheme_ok = s.starts_with("https://") || s.starts_with("http://");
        if scheme_ok && s.validate_url() && !s.contains(char::is_whitespace) {
            Some(s)
        } else {
            self.fail(field, "must be an absolute http or https URL");
            None
        }
    }

    /// An email address.
    pub fn email(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
        required: bool,
    ) -> Option<String> {
        let field = pointer(path, name);
        let s = self.string(object, path, name, required, Len(254))?;
        if s.validate_email() {
            Some(s)
        } else {
            self.fail(field, "must be an email address");
            None
        }
    }

    /// An array member (absent or null is empty), at most `max` items.
    pub fn array<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        name: &str,
        max: usize,
    ) -> &'v [Value] {
        let field = pointer(path, name);
        match self.get(object, path, name, false) {
            None => &[],
            Some(Value::Array(items)) if items.len() <= max => items,
            Some(Value::Array(_)) => {
                self.fail(field, format!("must have at most {max} items"));
                &[]
            }
            Some(other) => {
                self.fail(field, format!("must be an array, not {}", json_type(other)));
                &[]
            }
        }
    }

    /// Reports each repeated value of a list (`field` is the list's pointer).
    pub fn unique<T: PartialEq>(&mut self, items: &[(usize, T)], field: &str) {
        for (n, (i, item)) in items.iter().enumerate() {
            if items[..n].iter().any(|(_, other)| other == item) {
                self.fail(format!("{field}/{i}"), "is repeated");
            }
        }
    }
}

/// Whether `s` is a valid id.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// An id derived from an English title: folded to ASCII, lower-case words joined by '-',
/// cut at a word boundary to leave room for a numeric suffix.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_lowercase();
    let mut slug = String::new();
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > MAX_ID_LEN - 6 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        "record".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1]});
        merge_patch(
            &mut target,
            &json!({"a": "z", "c": {"f": null}, "l": [2, 3], "n": {"x": null}}),
        );
        assert_eq!(
            target,
            json!({"a": "z", "c": {"d": "e"}, "l": [2, 3], "n": {}})
        );
    }

    #[test]
    fn slugs_are_checked_and_derived() {
        assert!(is_slug("santiago-mexico-city"));
        assert!(!is_slug("Santiago"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(&"a".repeat(81)));
        assert_eq!(
            slugify("Travail décent à Mexico!"),
            "travail-decent-a-mexico"
        );
        assert_eq!(slugify("¿?"), "record");
        assert!(slugify(&"word ".repeat(40)).len() <= MAX_ID_LEN - 6);
    }
}
