//! Problems in decrypted wallet JSON, described by place and shape, never by value.
//!
//! serde's error texts quote the offending value (`invalid type: string "…", expected a
//! sequence`), and in a backup that value can be a signing key. So the wallet data's errors are
//! made here instead, from two passes that look at the structure only:
//!
//! - [`find_duplicate_key`]: one streaming pass (linear in the input, nothing but the keys of the
//!   object being read is kept) that finds a key appearing twice in one object, at any depth.
//!   serde_json keeps the last of two equal keys without a word, so a file could show one value to
//!   one reader and another to the next; docs/backup-format.md makes that invalid.
//! - [`find_shape_problem`]: walks a parsed document against the `concordium-mobile-wallet-data`
//!   v1 schema of [`crate::model`] and names the first place that does not fit: the path (field
//!   names and item positions), what is expected there and what kind of value (text, a number, a
//!   list, …) was found. It runs only after the typed parse has failed, so the happy path pays
//!   nothing for it.
//!
//! Field names and positions are not secret (they are the same in every wallet); values are.

use std::collections::HashSet;
use std::fmt::{self, Write};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The longest key name quoted in a message; longer ones are cut.
const MAX_KEY_CHARS: usize = 64;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A field of an object.
    Key(String),
    /// An item of a list, counting from 0.
    Index(usize),
}

/// A place in a JSON document, shown as `value.identities[0].accounts[2].address`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    fn child_key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_string()));
        p
    }

    fn child_index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }
}

/// A key as a person can read it: plain when it is a simple name, else quoted with escapes, and
/// never longer than [`MAX_KEY_CHARS`].
pub fn show_key(key: &str) -> String {
    let simple = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        return key.to_string();
    }
    let mut out = String::from("\"");
    for (n, c) in key.chars().enumerate() {
        if n == MAX_KEY_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || c == '"' || c == '\\' || !c.is_ascii() && !c.is_alphanumeric() {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the top level");
        }
        for (n, s) in self.0.iter().enumerate() {
            match s {
                Segment::Key(k) if n == 0 => f.write_str(&show_key(k))?,
                Segment::Key(k) => write!(f, ".{}", show_key(k))?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A key that appears twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The object that has it.
    pub object: JsonPath,
    /// The key.
    pub key: String,
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.object.0.is_empty() {
            write!(
                f,
                "the key `{}` appears twice at the top level",
                show_key(&self.key)
            )
        } else {
            write!(
                f,
                "the key `{}` appears twice in `{}`",
                show_key(&self.key),
                self.object
            )
        }
    }
}

/// The first key that appears twice in one object (in document order), if any. Input that is
/// not JSON has none: the parse that follows reports it.
pub fn find_duplicate_key(bytes: &[u8]) -> Option<DuplicateKey> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = DupWalk { found: &mut found }.deserialize(&mut de);
    found.map(|(mut reversed, key)| {
        reversed.reverse();
        DuplicateKey {
            object: JsonPath(reversed),
            key,
        }
    })
}

/// Walks any JSON value and stops at the first duplicate key. On the way back out of the nested
/// values, each level adds its own segment to the path (so no path is built unless needed).
struct DupWalk<'a> {
    /// (the path to the object with the duplicate, innermost segment first; the key).
    found: &'a mut Option<(Vec<Segment>, String)>,
}

impl<'de> DeserializeSeed<'de> for DupWalk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// A key read as text (keys are not secret).
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        String::deserialize(d)
    }
}

impl<'de> Visitor<'de> for DupWalk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    // Values are looked at, never kept.
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            match seq.next_element_seed(DupWalk { found: self.found }) {
                Ok(Some(())) => i += 1,
                Ok(None) => return Ok(()),
                Err(e) => {
                    if let Some((path, _)) = self.found.as_mut() {
                        path.push(Segment::Index(i));
                    }
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: HashSet<String> = HashSet::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key_seed(KeyText)? {
            if keys.contains(&key) {
                *self.found = Some((Vec::new(), key));
                return Err(de::Error::custom("duplicate key"));
            }
            if let Err(e) = map.next_value_seed(DupWalk { found: self.found }) {
                if let Some((path, _)) = self.found.as_mut() {
                    path.push(Segment::Key(key));
                }
                return Err(e);
            }
            keys.insert(key);
        }
        Ok(())
    }
}

/// A place in the wallet data that does not fit the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeProblem {
    /// Where.
    pub path: JsonPath,
    /// What is wrong, as a phrase without values ("must be a list, but it is text").
    pub what: String,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            write!(f, "the wallet data {}", self.what)
        } else {
            write!(f, "`{}` {}", self.path, self.what)
        }
    }
}

/// The kind of a JSON value, for messages: never the value itself.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_u64() => "a whole number",
        Value::Number(n) if n.is_i64() => "a negative number",
        Value::Number(_) => "a number with a fraction or an exponent, or too large",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a field must hold.
#[derive(Clone, Copy)]
enum Shape {
    Text,
    WholeNumber,
    Network,
    Object(fn(&Map<String, Value>, &JsonPath) -> Option<ShapeProblem>),
    /// An object whose values can be anything (`revealedAttributes`).
    AnyObject,
    List(fn(&Map<String, Value>, &JsonPath) -> Option<ShapeProblem>),
    Any,
}

/// A field of an object in the schema.
struct Field {
    name: &'static str,
    shape: Shape,
    /// Must be present.
    required: bool,
    /// `null` reads as "absent" (an `Option` field).
    nullable: bool,
}

const fn field(name: &'static str, shape: Shape, required: bool, nullable: bool) -> Field {
    Field {
        name,
        shape,
        required,
        nullable,
    }
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Text => "text",
        Shape::WholeNumber => "a whole number from 0 to 18446744073709551615",
        Shape::Network => "one of mainnet, testnet, staging, mock or local",
        Shape::Object(_) | Shape::AnyObject => "an object",
        Shape::List(_) => "a list",
        Shape::Any => "a JSON value",
    }
}

fn check_value(v: &Value, shape: Shape, path: &JsonPath) -> Option<ShapeProblem> {
    let wrong = || {
        Some(ShapeProblem {
            path: path.clone(),
            what: format!("must be {}, but it is {}", shape_name(shape), kind(v)),
        })
    };
    match (shape, v) {
        (Shape::Any, _) => None,
        (Shape::Text, Value::String(_)) => None,
        (Shape::WholeNumber, Value::Number(n)) if n.is_u64() => None,
        (Shape::Network, Value::String(s)) => {
            if crate::network::Network::from_file_str(s).is_some() {
                None
            } else {
                Some(ShapeProblem {
                    path: path.clone(),
                    what: format!("must be {}, but it is other text", shape_name(shape)),
                })
            }
        }
        (Shape::Object(check), Value::Object(m)) => check(m, path),
        (Shape::AnyObject, Value::Object(_)) => None,
        (Shape::List(check), Value::Array(items)) => {
            items.iter().enumerate().find_map(|(i, item)| {
                let p = path.child_index(i);
                match item {
                    Value::Object(m) => check(m, &p),
                    other => Some(ShapeProblem {
                        what: format!("must be an object, but it is {}", kind(other)),
                        path: p,
                    }),
                }
            })
        }
        _ => wrong(),
    }
}

fn check_fields(m: &Map<String, Value>, path: &JsonPath, fields: &[Field]) -> Option<ShapeProblem> {
    for f in fields {
        match m.get(f.name) {
            None if f.required => {
                return Some(ShapeProblem {
                    path: path.clone(),
                    what: format!("has no `{}` ({} is expected)", f.name, shape_name(f.shape)),
                })
            }
            None => {}
            Some(Value::Null) if f.nullable => {}
            Some(v) => {
                if let Some(p) = check_value(v, f.shape, &path.child_key(f.name)) {
                    return Some(p);
                }
            }
        }
    }
    None
}

fn check_wallet(m: &Map<String, Value>, path: &JsonPath) -> Option<ShapeProblem> {
    check_fields(
        m,
        path,
        &[
            field("type", Shape::Text, true, false),
            field("v", Shape::WholeNumber, true, false),
            field("environment", Shape::Network, false, true),
            field("value", Shape::Object(check_contents), true, false),
        ],
    )
}

fn check_contents(m: &Map<String, Value>, path: &JsonPath) -> Option<ShapeProblem> {
    check_fields(
        m,
        path,
        &[
            field("identities", Shape::List(check_identity), true, false),
            field("recipients", Shape::List(check_recipient), false, false),
        ],
    )
}

fn check_identity(m: &Map<String, Value>, path: &JsonPath) -> Option<ShapeProblem> {
    check_fields(
        m,
        path,
        &[
            field("name", Shape::Text, true, false),
            field("nextAccountNumber", Shape::WholeNumber, false, true),
            field("identityProvider", Shape::Any, false, true),
            field("identityObject", Shape::Any, false, true),
            field("privateIdObjectData", Shape::Any, true, false),
            field("accounts", Shape::List(check_account), false, false),
        ],
    )
}

fn check_account(m: &Map<String, Value>, path: &JsonPath) -> Option<ShapeProblem> {
    check_fields(
        m,
        path,
        &[
            field("name", Shape::Text, true, false),
            field("address", Shape::Text, true, false),
            field("submissionId", Shape::Text, false, true),
            field("accountKeys", Shape::Any, true, false),
            field("commitmentsRandomness", Shape::Any, false, true),
            field("revealedAttributes", Shape::AnyObject, false, true),
            field("credential", Shape::Any, false, true),
            field("encryptionSecretKey", Shape::Text, true, false),
        ],
    )
}

fn check_recipient(m: &Map<String, Value>, path: &JsonPath) -> Option<ShapeProblem> {
    check_fields(
        m,
        path,
        &[
            field("name", Shape::Text, true, false),
            field("address", Shape::Text, true, false),
        ],
    )
}

/// The first place where `doc` (a parsed wallet document) does not fit the
/// `concordium-mobile-wallet-data` v1 schema, in document order of the schema's fields.
pub fn find_shape_problem(doc: &Value) -> Option<ShapeProblem> {
    let root = JsonPath::default();
    match doc {
        Value::Object(m) => check_wallet(m, &root),
        other => Some(ShapeProblem {
            path: root,
            what: format!("must be an object, but it is {}", kind(other)),
        }),
    }
}
