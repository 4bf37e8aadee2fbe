//! Each data type's members, declared once with the rule that checks each: the [`members!`]
//! macro turns one list (`name: Text(300), kind: OneOf(&KINDS), ...`) into the member names a
//! document may hold, which of them are multilingual texts, and the reading of a document into
//! the type with every broken member reported (through [`Checker`]). Nested objects (a forum's
//! organisations, a programme's locations, every record's sources) are declared the same way
//! and read by the [`rule::Items`] and [`rule::Object`] rules.
//!
//! A member's rule also says whether it is required: the rule for a type `T` reads a required
//! member, for `Option<T>` an optional one (absent and null are the same), and lists are
//! optional (absent is empty).

use serde_json::{Map, Value};

use super::check::{Checker, Len, pointer};

/// One member of a type's documents.
#[derive(Clone, Copy)]
pub struct Member {
    pub name: &'static str,
    /// Its rule.
    pub rule: &'static dyn RuleKind,
}

impl Member {
    /// A multilingual text (`{"en": ..., "fr": ..., "es": ...}`): in a patch, a plain string
    /// replaces only the request's language.
    pub fn text(&self) -> bool {
        self.rule.text()
    }
}

/// A type read member by member from a JSON object.
pub trait Members: Sized {
    /// Its members, in the order they are checked.
    const MEMBERS: &'static [Member];

    /// Reads the members of `object` (at JSON Pointer `path`), reporting each broken one to `c`;
    /// `None` when a required member is missing or broken. Unknown members are the caller's
    /// to report (see [`Checker::only_members`]).
    fn read(object: &Map<String, Value>, path: &str, c: &mut Checker) -> Option<Self>;

    /// Whether two items of a list are the same one (a list of them must not repeat it).
    fn same(&self, _other: &Self) -> bool {
        false
    }

    /// The names of the multilingual text members.
    fn text_members() -> impl Iterator<Item = &'static str> {
        Self::MEMBERS.iter().filter(|m| m.text()).map(|m| m.name)
    }

    /// The values member `name` takes, when it takes one of a fixed list.
    fn values_of(name: &str) -> Option<&'static [&'static str]> {
        Self::MEMBERS
            .iter()
            .find(|m| m.name == name)
            .and_then(|m| m.rule.values())
    }
}

/// What a rule is, whatever it reads.
pub trait RuleKind: Sync {
    /// Whether it reads a multilingual text.
    fn text(&self) -> bool {
        false
    }
    /// The values it allows, when it allows one of a fixed list.
    fn values(&self) -> Option<&'static [&'static str]> {
        None
    }
}

/// Reads member `name` of `object` as a `T`, reporting what is wrong to `c`.
pub trait Rule<T>: RuleKind {
    fn read(
        &self,
        c: &mut Checker,
        object: &Map<String, Value>,
        path: &str,
        name: &str,
    ) -> Option<T>;
}

/// Declares how a type's members are checked: `members! { Type { member: Rule, ... } }`, with
/// optionally `after = function` (cross-member rules, called with the object read, or `None`,
/// after every member) and `unique = (member, ...)` (items of a list that agree on these
/// members are the same item). Rules are the types of [`rule`].
macro_rules! members {
    ($ty:ty $(, after = $after:path)? $(, unique = ($($key:ident),+))? {
        $($member:ident: $rule:expr),* $(,)?
    }) => {
        impl $crate::records::members::Members for $ty {
            const MEMBERS: &'static [$crate::records::members::Member] = &[$(
                $crate::records::members::Member {
                    name: stringify!($member),
                    rule: &{
                        #[allow(unused_imports)]
                        use $crate::records::members::rule::*;
                        $rule
                    },
                }
            ),*];

            fn read(
                object: &serde_json::Map<String, serde_json::Value>,
                path: &str,
                c: &mut $crate::records::Checker,
            ) -> Option<Self> {
                use $crate::records::members::Rule as _;
                $(
                    let $member: Option<_> = {
                        #[allow(unused_imports)]
                        use $crate::records::members::rule::*;
                        $rule
                    }
                    .read(c, object, path, stringify!($member));
                )*
                let read = (|| Some(Self { $($member: $member?),* }))();
                $($after(read.as_ref(), object, path, c);)?
                read
            }

            $(fn same(&self, other: &Self) -> bool {
                $(self.$key == other.$key)&&+
            })?
        }
    };
}
pub(crate) use members;

/// The rules a member can have.
pub mod rule {
    use chrono::NaiveDate;
    use serde_json::{Map, Value};

    use super::{Checker, Len, Members, Rule, RuleKind, pointer};
    use crate::models::Text as Texts;

    /// Implements [`Rule`] for a rule over `T` (required) and `Option<T>` (optional) from a
    /// checker call taking `required`.
    macro_rules! required_or_not {
        ($rule:ty, $t:ty, |$s:ident, $c:ident, $o:ident, $p:ident, $n:ident, $req:ident| $read:expr) => {
            impl Rule<$t> for $rule {
                fn read(
                    &self,
                    $c: &mut Checker,
                    $o: &Map<String, Value>,
                    $p: &str,
                    $n: &str,
                ) -> Option<$t> {
                    let ($s, $req) = (self, true);
                    $read
                }
            }
            impl Rule<Option<$t>> for $rule {
                fn read(
                    &self,
                    $c: &mut Checker,
                    $o: &Map<String, Value>,
                    $p: &str,
                    $n: &str,
                ) -> Option<Option<$t>> {
                    let ($s, $req) = (self, false);
                    Some($read)
                }
            }
        };
    }

    /// Implements [`Rule`] for a rule that reads one type only.
    macro_rules! reads {
        ($rule:ty, $t:ty, |$s:ident, $c:ident, $o:ident, $p:ident, $n:ident| $read:expr) => {
            impl Rule<$t> for $rule {
                fn read(
                    &self,
                    $c: &mut Checker,
                    $o: &Map<String, Value>,
                    $p: &str,
                    $n: &str,
                ) -> Option<$t> {
                    let $s = self;
                    $read
                }
            }
        };
    }

    /// A multilingual text of at most so many characters (a string in the request's
    /// language, or an object of languages with `en`).
    #[derive(Clone, Copy)]
    pub struct Text(pub usize);
    impl RuleKind for Text {
        fn text(&self) -> bool {
            true
        }
    }
    required_or_not!(Text, Texts, |s, c, o, p, n, req| c.text(
        o,
        p,
        n,
        req,
        Len(s.0)
    ));

    /// A plain string of at most so many characters.
    #[derive(Clone, Copy)]
    pub struct Str(pub usize);
    impl RuleKind for Str {}
    required_or_not!(Str, String, |s, c, o, p, n, req| c.string(
        o,
        p,
        n,
        req,
        Len(s.0)
    ));

    /// An id of a record (a slug).
    #[derive(Clone, Copy)]
    pub struct Slug;
    impl RuleKind for Slug {}
    required_or_not!(Slug, String, |_s, c, o, p, n, req| c.slug(o, p, n, req));

    /// One of a fixed list of values.
    #[derive(Clone, Copy)]
    pub struct OneOf(pub &'static [&'static str]);
    impl RuleKind for OneOf {
        fn values(&self) -> Option<&'static [&'static str]> {
            Some(self.0)
        }
    }
    required_or_not!(OneOf, String, |s, c, o, p, n, req| c
        .one_of(o, p, n, req, s.0));

    /// An ISO 3166-1 alpha-2 country code.
    #[derive(Clone, Copy)]
    pub struct Country;
    impl RuleKind for Country {}
    required_or_not!(Country, String, |_s, c, o, p, n, req| c
        .country(o, p, n, req));

    /// An absolute http(s) URL.
    #[derive(Clone, Copy)]
    pub struct Url;
    impl RuleKind for Url {}
    required_or_not!(Url, String, |_s, c, o, p, n, req| c.url(o, p, n, req));

    /// An email address.
    #[derive(Clone, Copy)]
    pub struct Email;
    impl RuleKind for Email {}
    required_or_not!(Email, String, |_s, c, o, p, n, req| c.email(o, p, n, req));

    /// A whole number within `min..=max`.
    #[derive(Clone, Copy)]
    pub struct Int(pub i64, pub i64);
    impl RuleKind for Int {}
    required_or_not!(Int, i32, |s, c, o, p, n, req| c
        .int(o, p, n, req, s.0, s.1)
        .and_then(|v| i32::try_from(v).ok()));
    required_or_not!(Int, u32, |s, c, o, p, n, req| c
        .int(o, p, n, req, s.0, s.1)
        .and_then(|v| u32::try_from(v).ok()));

    /// A number within `min..=max`.
    #[derive(Clone, Copy)]
    pub struct Number(pub f64, pub f64);
    impl RuleKind for Number {}
    required_or_not!(Number, f64, |s, c, o, p, n, req| c
        .number(o, p, n, req, s.0, s.1));

    /// A `YYYY-MM-DD` date (always optional).
    #[derive(Clone, Copy)]
    pub struct Date;
    impl RuleKind for Date {}
    reads!(Date, Option<NaiveDate>, |_s, c, o, p, n| Some(
        c.date(o, p, n)
    ));

    /// An ISO 4217 currency code (required).
    #[derive(Clone, Copy)]
    pub struct Currency;
    impl RuleKind for Currency {}
    reads!(Currency, String, |_s, c, o, p, n| c.currency(o, p, n));

    /// A snake_case code such as a unit (required).
    #[derive(Clone, Copy)]
    pub struct SnakeCode;
    impl RuleKind for SnakeCode {}
    reads!(SnakeCode, String, |_s, c, o, p, n| c.slug_like(o, p, n));

    /// A list of at most so many distinct ids.
    #[derive(Clone, Copy)]
    pub struct Slugs(pub usize);
    impl RuleKind for Slugs {}
    reads!(Slugs, Vec<String>, |s, c, o, p, n| Some(
        c.slug_list(o, p, n, s.0)
    ));

    /// A list of at most so many distinct country codes.
    #[derive(Clone, Copy)]
    pub struct Countries(pub usize);
    impl RuleKind for Countries {}
    impl Rule<Vec<String>> for Countries {
        fn read(
            &self,
            c: &mut Checker,
            o: &Map<String, Value>,
            p: &str,
            n: &str,
        ) -> Option<Vec<String>> {
            let field = pointer(p, n);
            let mut codes = Vec::new();
            for (i, item) in c.array(o, p, n, self.0).iter().enumerate() {
                if let Some(code) = c.country_value(item, &format!("{field}/{i}")) {
                    codes.push((i, code));
                }
            }
            c.unique(&codes, &field);
            Some(codes.into_iter().map(|(_, code)| code).collect())
        }
    }

    /// A list of at most so many objects of a type with [`Members`], none repeated.
    #[derive(Clone, Copy)]
    pub struct Items(pub usize);
    impl RuleKind for Items {}
    impl<T: Members> Rule<Vec<T>> for Items {
        fn read(
            &self,
            c: &mut Checker,
            o: &Map<String, Value>,
            p: &str,
            n: &str,
        ) -> Option<Vec<T>> {
            let field = pointer(p, n);
            let mut items: Vec<T> = Vec::new();
            for (i, value) in c.array(o, p, n, self.0).iter().enumerate() {
                let path = format!("{field}/{i}");
                let Some(object) = c.object(value, &path) else {
                    continue;
                };
                c.only_members(object, &path, T::MEMBERS);
                let Some(item) = T::read(object, &path, c) else {
                    continue;
                };
                if items.iter().any(|other| other.same(&item)) {
                    c.fail(path, "is repeated");
                } else {
                    items.push(item);
                }
            }
            Some(items)
        }
    }

    /// An optional object of a type with [`Members`].
    #[derive(Clone, Copy)]
    pub struct Object;
    impl RuleKind for Object {}
    impl<T: Members> Rule<Option<T>> for Object {
        fn read(
            &self,
            c: &mut Checker,
            o: &Map<String, Value>,
            p: &str,
            n: &str,
        ) -> Option<Option<T>> {
            let Some(value) = o.get(n).filter(|v| !v.is_null()) else {
                return Some(None);
            };
            let path = pointer(p, n);
            let Some(object) = c.object(value, &path) else {
                return Some(None);
            };
            c.only_members(object, &path, T::MEMBERS);
            Some(T::read(object, &path, c))
        }
    }

    /// A member required although its type is optional (the type allows erasing it later).
    #[derive(Clone, Copy)]
    pub struct Required<R>(pub R);
    impl<R: RuleKind> RuleKind for Required<R> {
        fn text(&self) -> bool {
            self.0.text()
        }
        fn values(&self) -> Option<&'static [&'static str]> {
            self.0.values()
        }
    }
    impl<T, R: Rule<T>> Rule<Option<T>> for Required<R> {
        fn read(
            &self,
            c: &mut Checker,
            o: &Map<String, Value>,
            p: &str,
            n: &str,
        ) -> Option<Option<T>> {
            self.0.read(c, o, p, n).map(Some)
        }
    }
}
