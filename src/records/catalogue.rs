//! The one list of collections. Everything that goes over every collection comes from it: the
//! collections' names (`Named`), the route table and the OpenAPI tags (`api`), the order of
//! exports and imports, the keys of the built-in dataset, the collections search covers, the
//! root index, and the includes that other collections' relations offer.
//!
//! Adding a collection is one line here (see docs/ARCHITECTURE.md).

use std::io::Write;
use std::marker::PhantomData;

use diesel::QueryResult;

use super::Collection;
use super::relations::Relation;
use super::transfer::{self, Batch, ExportError, ImportProblem, Incoming, Progress};
use crate::db::AnyConnection;
use crate::models::Store;

/// Calls `$then!` with every collection, in export order (what others point to comes first).
/// Each line: the name of the collection's module in `api`, its name (the path
/// segment), its data type, its key in the built-in dataset, its OpenAPI tag and the tag's
/// description; `singleton` marks a collection of one record (the institution), which has no
/// list, create or delete.
macro_rules! catalogue {
    ($then:ident) => {
        $then! {
            organisations "organisations" (crate::models::organisation::OrganisationData) dataset "organisations" tag "Organisations"
                "UN agencies, city networks, local governments and other partners" [];
            frameworks "frameworks" (crate::models::domain::Framework) dataset "frameworks" tag "Frameworks"
                "Compacts and declarations that frame LRGs' work on migration" [];
            migration_domains "migration-domains" (crate::models::domain::MigrationDomain) dataset "migration_domains" tag "Migration domains"
                "The four domains of migration management IOM works in" [];
            engagement_areas "engagement-areas" (crate::models::domain::EngagementArea) dataset "engagement_areas" tag "Engagement areas"
                "The five ways IOM engages with local and regional governments, with example activities" [];
            funds "funds" (crate::models::domain::Fund) dataset "funds" tag "Funds"
                "Funds that finance programmes with LRGs" [];
            forums "forums" (crate::models::domain::Forum) dataset "forums" tag "Forums"
                "Global forums and the mechanisms that bring LRGs into them" [];
            events "events" (crate::models::domain::Event) dataset "events" tag "Events"
                "Dated occurrences of forums, known to the day, month or year" [];
            recommendations "recommendations" (crate::models::domain::Recommendation) dataset "recommendations" tag "Recommendations"
                "Recommendations made at events, and the events they target" [];
            programmes "programmes" (crate::models::programme::ProgrammeData) dataset "programmes" tag "Programmes"
                "Programmes, modelled on the IATI activity standard" [];
            contacts "contacts" (crate::models::domain::Contact) dataset "contacts" tag "Contacts"
                "Focal points" [];
            institution "institution" (crate::models::domain::Institution) dataset "institution" tag "Institution"
                "The institution profile (IOM), with its key figures as data" [singleton];
        }
    };
}
pub(crate) use catalogue;

/// One collection of the catalogue.
pub struct Entry {
    /// Its name: the path segment under `/v1`, and how the change feed names it.
    pub name: &'static str,
    /// Its key in the built-in dataset (`dataset/iom-lrg.json`).
    pub dataset_key: &'static str,
    /// Its OpenAPI tag, and what the tag says.
    pub tag: &'static str,
    pub tag_description: &'static str,
    /// A collection of one record: GET and PATCH only.
    pub singleton: bool,
    /// What the engine does with its records, whatever their type.
    pub ops: &'static (dyn Ops + Sync),
}

/// The engine's work on one collection, over its data type.
pub trait Ops {
    fn singular(&self) -> &'static str;
    fn relations(&self) -> &'static [Relation];
    /// The sort its list uses when none is asked for.
    fn default_sort(&self) -> &'static str;
    /// How many records it holds, deleted ones too.
    fn total(&self, conn: &mut AnyConnection) -> QueryResult<i64>;
    /// Which of `ids` are live records.
    fn live_ids(&self, conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<String>>;
    /// Writes every record as export lines; returns how many.
    fn export(
        &self,
        conn: &mut AnyConnection,
        out: &mut dyn Write,
        progress: &mut Progress,
    ) -> Result<u64, ExportError>;
    /// Validates the records an import brings for this collection.
    fn validate(
        &self,
        incoming: Vec<Incoming>,
        problems: &mut Vec<ImportProblem>,
    ) -> Box<dyn Batch>;
    /// Indexes every live record for search; returns how many.
    fn reindex(&self, conn: &mut AnyConnection) -> QueryResult<u64>;
}

/// [`Ops`] for the collection whose data type is `C`.
pub struct Erased<C>(PhantomData<fn() -> C>);

impl<C> Erased<C> {
    pub const fn new() -> Self {
        Erased(PhantomData)
    }
}

impl<C> Default for Erased<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Collection> Ops for Erased<C> {
    fn singular(&self) -> &'static str {
        C::SINGULAR
    }
    fn relations(&self) -> &'static [Relation] {
        C::RELATIONS
    }
    fn default_sort(&self) -> &'static str {
        C::LIST.sorts.first().copied().unwrap_or("id")
    }
    fn total(&self, conn: &mut AnyConnection) -> QueryResult<i64> {
        C::Store::total(conn)
    }
    fn live_ids(&self, conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<String>> {
        Ok(C::Store::find_live_many(conn, ids)?
            .into_iter()
            .map(|r| r.id)
            .collect())
    }
    fn export(
        &self,
        conn: &mut AnyConnection,
        out: &mut dyn Write,
        progress: &mut Progress,
    ) -> Result<u64, ExportError> {
        transfer::export_collection::<C>(conn, out, progress)
    }
    fn validate(
        &self,
        incoming: Vec<Incoming>,
        problems: &mut Vec<ImportProblem>,
    ) -> Box<dyn Batch> {
        Box::new(transfer::validate_all::<C>(incoming, problems))
    }
    fn reindex(&self, conn: &mut AnyConnection) -> QueryResult<u64> {
        transfer::reindex_collection::<C>(conn)
    }
}

macro_rules! define {
    ($($module:ident $name:literal ($ty:path) dataset $key:literal tag $tag:literal
        $description:literal [$($singleton:ident)?];)*) => {
        $(impl crate::models::Named for $ty {
            const NAME: &'static str = $name;
        })*

        /// Every collection, in export order.
        pub static CATALOGUE: &[Entry] = &[$(Entry {
            name: $name,
            dataset_key: $key,
            tag: $tag,
            tag_description: $description,
            singleton: define!(@singleton $($singleton)?),
            ops: &Erased::<$ty>::new(),
        }),*];
    };
    (@singleton singleton) => { true };
    (@singleton) => { false };
}

catalogue!(define);

/// The collection called `name`.
pub fn entry(name: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.name == name)
}

/// Where a record is: `/v1/{collection}/{id}`, or `/v1/{collection}` for a singleton.
pub fn href(collection: &str, id: &str) -> String {
    if entry(collection).is_some_and(|e| e.singleton) {
        format!("/v1/{collection}")
    } else {
        format!("/v1/{collection}/{id}")
    }
}

/// The names of every collection, in export order.
pub fn names() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|e| e.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Members;

    macro_rules! declarations {
        ($($module:ident $name:literal ($ty:path) dataset $key:literal tag $tag:literal
            $description:literal [$($singleton:ident)?];)*) => {
            vec![$((
                $name,
                <$ty as Collection>::LIST.unknown_names::<$ty>(),
                <$ty as Members>::MEMBERS.iter().map(|m| m.name).collect::<Vec<_>>(),
                <$ty as Collection>::RELATIONS.iter().map(|r| r.member).collect::<Vec<_>>(),
            )),*]
        };
    }

    #[test]
    fn every_declared_sort_filter_and_relation_names_something() {
        for (name, unknown, members, relations) in catalogue!(declarations) {
            assert!(
                unknown.is_empty(),
                "{name}: unknown sorts or filters {unknown:?}"
            );
            for member in relations {
                assert!(
                    members.contains(&member),
                    "{name}: relation over {member}, which is not a member"
                );
            }
            let mut sorted = members.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), members.len(), "{name}: a member twice");
        }
    }
}
