//! What a collection's list takes, declared by name on the collection ([`ListSpec`]) and
//! resolved here once: a sort name means the same kind of value in every collection, a filter
//! name the same test, and the values of a `kind` or `status` filter are those the member's
//! rule allows.

use super::Members;
use crate::models::Facet;

/// What a collection-specific filter takes, and what it filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterKind {
    /// A status from a fixed list.
    Status(&'static [&'static str]),
    /// A kind from a fixed list.
    Kind(&'static [&'static str]),
    /// ISO 3166-1 alpha-2 codes.
    Country,
    /// Years (1900-2200).
    Year,
    /// `true`: only records whose last possible day is today or later (UTC).
    Upcoming,
    /// A `YYYY-MM-DD` day: only records that may fall on or after it.
    From,
    /// A `YYYY-MM-DD` day: only records that may fall on or before it.
    To,
    /// Ids of related records, through these relations (derived from the collection's
    /// relations, never declared by hand).
    Related(Vec<&'static str>),
}

impl FilterKind {
    /// The values it accepts, for messages and the OpenAPI document.
    pub fn allowed(&self) -> Option<&'static [&'static str]> {
        match self {
            FilterKind::Status(values) | FilterKind::Kind(values) => Some(values),
            _ => None,
        }
    }
}

/// The type of a sort field, to read a cursor's value back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    Id,
    Text,
    Int,
    Date,
    Instant,
}

impl SortKind {
    /// The kind of every sort field a collection may declare.
    pub fn of(name: &str) -> Option<SortKind> {
        Some(match name {
            "id" => SortKind::Id,
            "title" | "name" => SortKind::Text,
            "position" | "year" => SortKind::Int,
            "date" | "planned_start" | "actual_start" => SortKind::Date,
            "created_at" | "updated_at" => SortKind::Instant,
            _ => return None,
        })
    }
}

/// The sorts and filters of a collection's list, by name: the first sort is the default, and
/// each filter by status, kind, country or year is also a facet. The relations add their
/// filters, facets and includes.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub sorts: &'static [&'static str],
    pub filters: &'static [&'static str],
}

impl ListSpec {
    /// A list in `sorts` order (the first is the default).
    pub const fn sorted(sorts: &'static [&'static str]) -> Self {
        ListSpec {
            sorts,
            filters: &[],
        }
    }

    /// With these filters (`status`, `kind`, `country`, `year`, `upcoming`, `from`, `to`).
    pub const fn filtered(self, filters: &'static [&'static str]) -> Self {
        ListSpec { filters, ..self }
    }

    /// The sort fields with their kinds (unknown names are left out; a test keeps them known).
    pub fn sort_kinds(&self) -> Vec<(&'static str, SortKind)> {
        self.sorts
            .iter()
            .filter_map(|s| Some((*s, SortKind::of(s)?)))
            .collect()
    }

    /// The filters with what each takes, for the collection `C` (unknown names are left out).
    pub fn filter_kinds<C: Members>(&self) -> Vec<(&'static str, FilterKind)> {
        self.filters
            .iter()
            .filter_map(|f| {
                let kind = match *f {
                    "status" => FilterKind::Status(C::values_of("status")?),
                    "kind" => FilterKind::Kind(C::values_of("kind")?),
                    "country" => FilterKind::Country,
                    "year" => FilterKind::Year,
                    "upcoming" => FilterKind::Upcoming,
                    "from" => FilterKind::From,
                    "to" => FilterKind::To,
                    _ => return None,
                };
                Some((*f, kind))
            })
            .collect()
    }

    /// The facets its own filters give.
    pub fn facets<C: Members>(&self) -> Vec<(&'static str, Facet)> {
        self.filter_kinds::<C>()
            .into_iter()
            .filter_map(|(name, kind)| {
                let facet = match kind {
                    FilterKind::Status(_) => Facet::Status,
                    FilterKind::Kind(_) => Facet::Kind,
                    FilterKind::Country => Facet::Country,
                    FilterKind::Year => Facet::Year,
                    _ => return None,
                };
                Some((name, facet))
            })
            .collect()
    }

    /// Names declared that mean nothing (for the catalogue test).
    pub fn unknown_names<C: Members>(&self) -> Vec<&'static str> {
        let sorts = self.sort_kinds();
        let filters = self.filter_kinds::<C>();
        self.sorts
            .iter()
            .filter(|s| !sorts.iter().any(|(k, _)| k == *s))
            .chain(
                self.filters
                    .iter()
                    .filter(|f| !filters.iter().any(|(k, _)| k == *f)),
            )
            .copied()
            .collect()
    }
}
