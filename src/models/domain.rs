//! The collections kept in the document store: institution, migration domains, engagement
//! areas, funds, frameworks, forums, events, recommendations and contacts. Each data type is the
//! validated form of its request body; it serialises into the stored document (and the document
//! a PATCH merges into), member order being the order responses show.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::common::{Lang, Source, Text};
use super::document::{Columns, DocumentData};

/// Qualifiers of a key figure.
pub const QUALIFIERS: [&str; 3] = ["exact", "more_than", "about"];
/// Kinds of framework.
pub const FRAMEWORK_KINDS: [&str; 4] = ["global_compact", "declaration", "agenda", "other"];
/// Kinds of forum.
pub const FORUM_KINDS: [&str; 3] = ["forum", "mechanism", "process"];
/// Roles of an organisation in a forum.
pub const FORUM_ROLES: [&str; 4] = ["co_steering", "host", "member", "observer"];
/// Honorifics of a contact.
pub const HONORIFICS: [&str; 4] = ["ms", "mr", "mx", "dr"];

/// A figure given as data: value, qualifier, unit and when it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub id: String,
    pub label: Text,
    pub value: f64,
    pub qualifier: String,
    pub unit: String,
    pub year: Option<i32>,
    pub as_of: Option<NaiveDate>,
    pub source: String,
}

fn texts<'a>(lang: Lang, items: impl IntoIterator<Item = &'a Text>) -> Vec<String> {
    items
        .into_iter()
        .map(|t| t.get_or_en(lang).to_owned())
        .collect()
}

/// The id of the one institution record.
pub const INSTITUTION_ID: &str = "iom";

/// The one institution profile (IOM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Institution {
    pub name: Text,
    pub acronym: Option<Text>,
    pub headquarters: Option<Headquarters>,
    pub description: Option<Text>,
    pub principle: Option<Text>,
    pub mission: Option<Text>,
    pub migration_context: Option<Text>,
    pub focus: Option<Text>,
    pub why_lrgs: Option<Text>,
    pub key_figures: Vec<Figure>,
    pub sources: Vec<Source>,
}

/// Where an institution has its seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headquarters {
    pub city: Text,
    pub country: String,
}

impl DocumentData for Institution {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.name.en.clone(),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.name];
        all.extend(
            [
                &self.acronym,
                &self.description,
                &self.principle,
                &self.mission,
                &self.focus,
            ]
            .into_iter()
            .flatten(),
        );
        texts(lang, all)
    }
}

/// One of the four domains of migration management.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrationDomain {
    pub position: i32,
    pub title: Text,
    pub sources: Vec<Source>,
}

impl DocumentData for MigrationDomain {
    fn columns(&self) -> Columns {
        Columns {
            position: Some(self.position),
            label_en: self.title.en.clone(),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        texts(lang, [&self.title])
    }
}

/// An example activity of an engagement area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub text: Text,
}

/// One of the five ways IOM engages with LRGs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementArea {
    pub position: i32,
    pub title: Text,
    pub description: Option<Text>,
    pub activities: Vec<Activity>,
    pub sources: Vec<Source>,
}

impl DocumentData for EngagementArea {
    fn columns(&self) -> Columns {
        Columns {
            position: Some(self.position),
            label_en: self.title.en.clone(),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.title];
        all.extend(self.description.as_ref());
        all.extend(self.activities.iter().map(|a| &a.text));
        texts(lang, all)
    }
}

/// A fund (the Migration Multi-Partner Trust Fund).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fund {
    pub name: Text,
    pub acronym: Option<Text>,
    pub launch_year: Option<i32>,
    pub description: Option<Text>,
    pub chair: Option<Text>,
    pub chair_organisation: Option<String>,
    pub governance: Option<Text>,
    pub steering_committee_members: Vec<String>,
    pub gcm_alignment: Option<Text>,
    pub framework: Option<String>,
    pub figures: Vec<Figure>,
    pub sources: Vec<Source>,
}

impl DocumentData for Fund {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.name.en.clone(),
            year: self.launch_year,
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.name];
        all.extend(
            [
                &self.acronym,
                &self.description,
                &self.chair,
                &self.governance,
                &self.gcm_alignment,
            ]
            .into_iter()
            .flatten(),
        );
        texts(lang, all)
    }
}

/// A guiding principle of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Principle {
    pub id: String,
    pub title: Text,
}

/// A framework: a compact, a declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    pub title: Text,
    pub acronym: Option<Text>,
    pub kind: String,
    pub year: Option<i32>,
    pub description: Option<Text>,
    pub quote: Option<Text>,
    pub signatories: Option<Text>,
    pub guiding_principles: Vec<Principle>,
    pub guiding_principles_total: Option<i32>,
    pub commits_to: Vec<String>,
    pub sources: Vec<Source>,
}

impl DocumentData for Framework {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.title.en.clone(),
            kind: Some(self.kind.clone()),
            year: self.year,
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.title];
        all.extend(
            [
                &self.acronym,
                &self.description,
                &self.quote,
                &self.signatories,
            ]
            .into_iter()
            .flatten(),
        );
        all.extend(self.guiding_principles.iter().map(|p| &p.title));
        texts(lang, all)
    }
}

/// An organisation's part in a forum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumOrganisation {
    pub organisation: String,
    pub role: String,
}

/// A global forum (IMRF, GFMD) or a mechanism that brings LRGs into them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forum {
    pub name: Text,
    pub acronym: Option<Text>,
    pub kind: String,
    pub description: Option<Text>,
    pub framework: Option<String>,
    pub feeds_into: Vec<String>,
    pub organisations: Vec<ForumOrganisation>,
    pub sources: Vec<Source>,
}

impl DocumentData for Forum {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.name.en.clone(),
            kind: Some(self.kind.clone()),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.name];
        all.extend([&self.acronym, &self.description].into_iter().flatten());
        texts(lang, all)
    }
}

/// A dated occurrence, known to the day, the month or only the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub forum: Option<String>,
    pub title: Text,
    pub description: Option<Text>,
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub sources: Vec<Source>,
}

impl Event {
    /// The first and last day the event may fall on.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d).map(|day| (day, day)),
            (Some(m), None) => {
                let first = NaiveDate::from_ymd_opt(self.year, m, 1)?;
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(self.year, m + 1, 1)
                };
                Some((first, next?.pred_opt()?))
            }
            _ => Some((
                NaiveDate::from_ymd_opt(self.year, 1, 1)?,
                NaiveDate::from_ymd_opt(self.year, 12, 31)?,
            )),
        }
    }
}

impl DocumentData for Event {
    fn columns(&self) -> Columns {
        let span = self.span();
        Columns {
            label_en: self.title.en.clone(),
            year: Some(self.year),
            date_start: span.map(|s| s.0),
            date_end: span.map(|s| s.1),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        let mut all = vec![&self.title];
        all.extend(self.description.as_ref());
        texts(lang, all)
    }
}

/// A recommendation made at an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub event: String,
    pub position: i32,
    pub text: Text,
    pub target_events: Vec<String>,
    pub sources: Vec<Source>,
}

impl DocumentData for Recommendation {
    fn columns(&self) -> Columns {
        Columns {
            position: Some(self.position),
            label_en: self.text.en.clone(),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        texts(lang, [&self.text])
    }
}

/// A focal point. Name and email are personal data: a deleted contact's tombstone drops them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub honorific: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub job_title: Option<Text>,
    pub department: Option<Text>,
    pub unit: Option<Text>,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub focal_point_for: Option<Text>,
    pub sources: Vec<Source>,
}

impl Contact {
    /// The contact without its personal data, as its tombstone keeps it.
    pub fn erased(&self) -> Contact {
        Contact {
            honorific: None,
            given_name: None,
            family_name: None,
            email: None,
            ..self.clone()
        }
    }

    /// "Given Family", for sorting and ids.
    pub fn full_name(&self) -> String {
        [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl DocumentData for Contact {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.family_name.clone().unwrap_or_default(),
            ..Columns::default()
        }
    }
    fn search_texts(&self, lang: Lang) -> Vec<String> {
        // The name first: it is what a search hit shows.
        let mut all = vec![self.full_name()];
        all.extend(texts(
            lang,
            [
                &self.job_title,
                &self.department,
                &self.unit,
                &self.focal_point_for,
            ]
            .into_iter()
            .flatten(),
        ));
        all.retain(|t| !t.is_empty());
        all
    }
}

/// Today's date in UTC (for `upcoming=true`).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(year: i32, month: Option<u32>, day: Option<u32>) -> Event {
        Event {
            forum: None,
            title: Text::from_columns("E".into(), None, None),
            description: None,
            year,
            month,
            day,
            sources: vec![],
        }
    }

    #[test]
    fn an_event_spans_its_day_month_or_year() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            event(2022, Some(5), None).span(),
            Some((d(2022, 5, 1), d(2022, 5, 31)))
        );
        assert_eq!(
            event(2024, Some(2), None).span(),
            Some((d(2024, 2, 1), d(2024, 2, 29)))
        );
        assert_eq!(
            event(2023, Some(12), None).span(),
            Some((d(2023, 12, 1), d(2023, 12, 31)))
        );
        assert_eq!(
            event(2026, None, None).span(),
            Some((d(2026, 1, 1), d(2026, 12, 31)))
        );
        assert_eq!(
            event(2026, Some(3), Some(9)).span(),
            Some((d(2026, 3, 9), d(2026, 3, 9)))
        );
    }
}
