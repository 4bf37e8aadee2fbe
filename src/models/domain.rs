//! The collections kept in the document store: institution, migration domains, engagement
//! areas, funds, frameworks, forums, events, recommendations and contacts. Each data type is the
//! validated form of its request body; it serialises into the stored document (and the document
//! a PATCH merges into), member order being the order responses show.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::common::{CountryCode, Source, Text, string_enum};
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

string_enum!(
    /// Whether a figure is exact, a lower bound or an estimate.
    FigureQualifier = QUALIFIERS
);
string_enum!(
    /// Kinds of framework.
    FrameworkKind = FRAMEWORK_KINDS
);
string_enum!(
    /// Kinds of forum.
    ForumKind = FORUM_KINDS
);
string_enum!(
    /// Roles of an organisation in a forum.
    ForumRole = FORUM_ROLES
);
string_enum!(
    /// Honorifics.
    Honorific = HONORIFICS
);

/// A figure given as data: value, qualifier, unit and when it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figure {
    /// The figure's id, unique within its record.
    #[schema(example = "member-states", pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub id: String,
    /// What is counted.
    pub label: Text,
    /// The number.
    #[schema(example = 174)]
    pub value: f64,
    /// Whether the number is exact, a lower bound or an estimate.
    #[schema(value_type = FigureQualifier)]
    pub qualifier: String,
    /// The unit, in snake_case.
    #[schema(example = "member_states", pattern = "^[a-z0-9]+(_[a-z0-9]+)*$")]
    pub unit: String,
    /// The year it holds for.
    #[schema(minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
    /// The day it holds as of.
    #[schema(example = "2024-01-25")]
    pub as_of: Option<NaiveDate>,
    /// Where it comes from.
    pub source: Text,
}

/// The id of the one institution record.
pub const INSTITUTION_ID: &str = "iom";

/// The one institution profile (IOM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Institution {
    pub name: Text,
    pub acronym: Option<Text>,
    pub headquarters: Option<Headquarters>,
    /// What the institution is.
    pub description: Option<Text>,
    /// The principle it holds to.
    pub principle: Option<Text>,
    /// What it sets out to do.
    pub mission: Option<Text>,
    /// Why migration is felt first locally.
    pub migration_context: Option<Text>,
    /// What it increasingly focuses on.
    pub focus: Option<Text>,
    /// Why it works with local and regional governments.
    pub why_lrgs: Option<Text>,
    /// Key figures, as data.
    pub key_figures: Vec<Figure>,
    pub sources: Vec<Source>,
}

/// Where an institution has its seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Headquarters {
    pub city: Text,
    #[schema(value_type = CountryCode, example = "CH", pattern = "^[A-Z]{2}$")]
    pub country: String,
}

impl DocumentData for Institution {
    fn columns(&self) -> Columns {
        Columns {
            label_en: self.name.en.clone(),
            ..Columns::default()
        }
    }
}

/// One of the four domains of migration management.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MigrationDomain {
    /// Its place in IOM's list (1-4).
    #[schema(example = 1, minimum = 1, maximum = 1000)]
    pub position: i32,
    /// Its title.
    pub title: Text,
    /// Where these facts come from.
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
}

/// An example activity of an engagement area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Activity {
    /// The activity's id, unique within its area.
    #[schema(example = "vocational-training", pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub id: String,
    /// What IOM does.
    pub text: Text,
}

/// One of the five ways IOM engages with LRGs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EngagementArea {
    /// Its place in IOM's list (1-5).
    #[schema(example = 1, minimum = 1, maximum = 1000)]
    pub position: i32,
    /// Its title.
    pub title: Text,
    /// What IOM does in this area.
    pub description: Option<Text>,
    /// Example activities the source names.
    pub activities: Vec<Activity>,
    /// Where these facts come from.
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
}

/// A fund (the Migration Multi-Partner Trust Fund).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fund {
    /// Its name.
    pub name: Text,
    /// Its acronym.
    pub acronym: Option<Text>,
    /// The year it was launched.
    #[schema(example = 2019, minimum = 1900, maximum = 2200)]
    pub launch_year: Option<i32>,
    /// What it is.
    pub description: Option<Text>,
    /// Who chairs it.
    pub chair: Option<Text>,
    /// The organisation of its chair.
    #[schema(example = "iom")]
    pub chair_organisation: Option<String>,
    /// How it is governed.
    pub governance: Option<Text>,
    /// Organisations on its steering committee, as far as the sources name them.
    #[schema(example = json!(["mayors-migration-council"]))]
    pub steering_committee_members: Vec<String>,
    /// How it aligns with the Global Compact for Migration.
    pub gcm_alignment: Option<Text>,
    /// The framework it serves.
    #[schema(example = "gcm")]
    pub framework: Option<String>,
    /// Its figures, as data.
    pub figures: Vec<Figure>,
    /// Where these facts come from.
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
}

/// A guiding principle of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Principle {
    #[schema(example = "people-centred", pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub id: String,
    pub title: Text,
}

/// A framework: a compact, a declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Framework {
    /// Its title.
    pub title: Text,
    /// Its acronym, which may differ by language (GCM, PMM).
    pub acronym: Option<Text>,
    #[schema(value_type = FrameworkKind)]
    pub kind: String,
    /// The year it was adopted, where the sources give it.
    #[schema(example = 2018, minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
    /// What it is.
    pub description: Option<Text>,
    /// A passage quoted from it.
    pub quote: Option<Text>,
    /// Who signed or adopted it.
    pub signatories: Option<Text>,
    /// The guiding principles the sources name.
    pub guiding_principles: Vec<Principle>,
    /// How many guiding principles it has in all.
    #[schema(example = 10, minimum = 0)]
    pub guiding_principles_total: Option<i32>,
    /// Frameworks it commits its signatories to implement.
    pub commits_to: Vec<String>,
    /// Where these facts come from.
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
}

/// An organisation's part in a forum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ForumOrganisation {
    /// An existing organisation's id.
    #[schema(example = "uclg")]
    pub organisation: String,
    #[schema(value_type = ForumRole)]
    pub role: String,
}

/// A global forum (IMRF, GFMD) or a mechanism that brings LRGs into them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Forum {
    /// Its name.
    pub name: Text,
    /// Its acronym.
    pub acronym: Option<Text>,
    #[schema(value_type = ForumKind)]
    pub kind: String,
    /// What it is.
    pub description: Option<Text>,
    /// The framework it reviews.
    #[schema(example = "gcm")]
    pub framework: Option<String>,
    /// Forums this one brings LRGs into.
    #[schema(example = json!(["imrf", "gfmd"]))]
    pub feeds_into: Vec<String>,
    /// Organisations taking part, with their roles.
    pub organisations: Vec<ForumOrganisation>,
    /// Where these facts come from.
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
}

/// A dated occurrence, known to the day, the month or only the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Event {
    /// The forum it belongs to.
    #[schema(example = "imrf")]
    pub forum: Option<String>,
    /// Its title.
    pub title: Text,
    /// What it is.
    pub description: Option<Text>,
    /// Its year.
    #[schema(example = 2026, minimum = 1900, maximum = 2200)]
    pub year: i32,
    /// Its month, or null when the sources give only the year.
    #[schema(minimum = 1, maximum = 12)]
    pub month: Option<u32>,
    /// Its day, or null when the sources do not give it.
    #[schema(minimum = 1, maximum = 31)]
    pub day: Option<u32>,
    /// Where these facts come from.
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
}

/// A recommendation made at an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recommendation {
    /// The event it was made at.
    #[schema(example = "multi-stakeholder-hearings-2022-05")]
    pub event: String,
    /// Its place among the event's recommendations.
    #[schema(example = 1, minimum = 1, maximum = 1000)]
    pub position: i32,
    /// What it recommends.
    pub text: Text,
    /// Events it targets.
    #[schema(example = json!(["global-refugee-forum-2023", "imrf-2026"]))]
    pub target_events: Vec<String>,
    /// Where these facts come from.
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
}

/// A focal point. Name and email are personal data: a deleted contact's tombstone drops them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    #[schema(value_type = Option<Honorific>)]
    pub honorific: Option<String>,
    #[schema(required = true, example = "Sashini", max_length = 100)]
    pub given_name: Option<String>,
    #[schema(required = true, example = "Gomez", max_length = 100)]
    pub family_name: Option<String>,
    /// Their position.
    #[schema(required = true)]
    pub job_title: Option<Text>,
    pub department: Option<Text>,
    pub unit: Option<Text>,
    #[schema(required = true, example = "sngomez@iom.int", format = Email)]
    pub email: Option<String>,
    /// Their organisation.
    #[schema(example = "iom")]
    pub organisation: Option<String>,
    /// What they are the focal point for, beyond their position.
    pub focal_point_for: Option<Text>,
    /// Where these facts come from.
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
    // The name: it is what a search hit shows.
    fn search_title(&self) -> Option<String> {
        Some(self.full_name()).filter(|n| !n.is_empty())
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
