//! What a record points to, declared once per collection ([`Relation`]), and everything derived
//! from that declaration: the links written to the relations table, the check that related ids
//! exist (a 422 naming the member), the related filters and facets of lists, and `include` in
//! both directions. What blocks a delete is read from the relations table itself.

use std::collections::BTreeMap;

use diesel::QueryResult;
use serde_json::Value;

use super::Collection;
use super::catalogue;
use super::check::pointer;
use crate::db::AnyConnection;
use crate::error::FieldError;
use crate::models::relation::Link;

/// One member of a collection's data that names records of another collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    /// The member of the data (and the relation's name in the relations table): a string, an
    /// array of strings, or an array of objects whose `key` member holds the id.
    pub member: &'static str,
    /// The collection of the records it names.
    pub target: &'static str,
    /// In an array of objects, the member holding the id...
    pub key: Option<&'static str>,
    /// ...and the member holding the target's role, if any.
    pub role: Option<&'static str>,
    /// The list filter (and facet) it gives this collection; relations sharing a name are
    /// ORed together (a fund's `organisation` is its chair or a steering committee member).
    pub filter: Option<&'static str>,
    /// The `include` name that embeds the records it names.
    pub include: Option<&'static str>,
    /// The `include` name the target collection offers for the other direction.
    pub reverse: Option<&'static str>,
}

impl Relation {
    /// A relation from `member` to records of `target`, with no filter or include.
    pub const fn to(member: &'static str, target: &'static str) -> Self {
        Relation {
            member,
            target,
            key: None,
            role: None,
            filter: None,
            include: None,
            reverse: None,
        }
    }
    /// Ids held in the `key` member of the objects of an array (and their role in `role`).
    pub const fn keyed(self, key: &'static str, role: Option<&'static str>) -> Self {
        Relation {
            key: Some(key),
            role,
            ..self
        }
    }
    pub const fn filter(self, name: &'static str) -> Self {
        Relation {
            filter: Some(name),
            ..self
        }
    }
    pub const fn include(self, name: &'static str) -> Self {
        Relation {
            include: Some(name),
            ..self
        }
    }
    pub const fn reverse(self, name: &'static str) -> Self {
        Relation {
            reverse: Some(name),
            ..self
        }
    }
}

/// One id a record names, with the JSON Pointer of the member that names it.
struct Named {
    relation: &'static Relation,
    field: String,
    id: String,
    role: Option<String>,
}

fn named<C: Collection>(data: &C) -> Vec<Named> {
    let Ok(Value::Object(doc)) = serde_json::to_value(data) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for relation in C::RELATIONS {
        let field = pointer("", relation.member);
        let mut push = |field: String, item: &Value| {
            let (id, role) = match relation.key {
                Some(key) => (
                    item.get(key).and_then(Value::as_str),
                    relation
                        .role
                        .and_then(|r| item.get(r))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                ),
                None => (item.as_str(), None),
            };
            if let Some(id) = id {
                let field = match relation.key {
                    Some(key) => pointer(&field, key),
                    None => field,
                };
                out.push(Named {
                    relation,
                    field,
                    id: id.to_owned(),
                    role,
                });
            }
        };
        match doc.get(relation.member) {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    push(format!("{field}/{i}"), item);
                }
            }
            Some(value) => push(field.clone(), value),
            None => {}
        }
    }
    out
}

/// The links a record with this data has, in declaration and member order.
pub fn links<C: Collection>(data: &C) -> Vec<Link> {
    named(data)
        .into_iter()
        .map(|n| Link {
            relation: n.relation.member,
            target_collection: n.relation.target,
            target_id: n.id,
            role: n.role,
        })
        .collect()
}

/// The related ids the data names that are not live records of their collection, one error per
/// id, by the member naming it.
pub fn unknown_references<C: Collection>(
    conn: &mut AnyConnection,
    data: &C,
) -> QueryResult<Vec<FieldError>> {
    let named = named(data);
    let mut by_target: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for n in &named {
        by_target
            .entry(n.relation.target)
            .or_default()
            .push(n.id.clone());
    }
    let mut live: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (target, ids) in by_target {
        let found = match catalogue::entry(target) {
            Some(entry) => entry.ops.live_ids(conn, &ids)?,
            None => Vec::new(),
        };
        live.insert(target, found);
    }
    let mut errors: Vec<FieldError> = named
        .into_iter()
        .filter(|n| {
            !live
                .get(n.relation.target)
                .is_some_and(|found| found.contains(&n.id))
        })
        .map(|n| {
            FieldError::new(
                n.field,
                format!("no record of {} has the id '{}'", n.relation.target, n.id),
            )
        })
        .collect();
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    Ok(errors)
}

/// The related filters of a collection: each filter name with the relations it reads.
pub fn filters(relations: &[Relation]) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for relation in relations {
        let Some(name) = relation.filter else {
            continue;
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, members)) => members.push(relation.member),
            None => out.push((name, vec![relation.member])),
        }
    }
    out
}

/// How an include finds its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The records this one points to through one of its relations.
    Outgoing(&'static str),
    /// The records of `collection` whose `relations` point to this one.
    Incoming {
        collection: &'static str,
        relations: Vec<&'static str>,
    },
}

/// One name `include` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub name: &'static str,
    /// The collection of the embedded records.
    pub target: &'static str,
    pub via: Via,
}

/// Every `include` a collection offers: its own relations' (outgoing), then the other
/// collections' relations that point to it (incoming), in catalogue order.
pub fn includes(collection: &str) -> Vec<Include> {
    let mut out: Vec<Include> = Vec::new();
    if let Some(entry) = catalogue::entry(collection) {
        for relation in entry.ops.relations() {
            if let Some(name) = relation.include {
                out.push(Include {
                    name,
                    target: relation.target,
                    via: Via::Outgoing(relation.member),
                });
            }
        }
    }
    for source in catalogue::CATALOGUE {
        for relation in source.ops.relations() {
            let Some(name) = relation.reverse.filter(|_| relation.target == collection) else {
                continue;
            };
            match out.iter_mut().find(|i| i.name == name) {
                Some(Include {
                    via: Via::Incoming { relations, .. },
                    ..
                }) => relations.push(relation.member),
                Some(_) => {}
                None => out.push(Include {
                    name,
                    target: source.name,
                    via: Via::Incoming {
                        collection: source.name,
                        relations: vec![relation.member],
                    },
                }),
            }
        }
    }
    out
}
