//! One component being built: the option slots filled from the map, the values by URL
//! key that the rules of [`super::params`] store, and the assembly of `key_value`
//! parameters in key order.

use std::borrow::Cow;

use super::params::{classify, Opt, KEY_COUNT, KEY_PREFIX, OPT_COUNT};
use super::Flags;
use crate::config::Config;
use crate::value::{Map, Value};

/// Option slots filled by one pass over the map, with bit masks of the options that
/// are present (`present`) and present with a non-null value (`set`), so that absent
/// parameters cost one bit test.
pub(crate) struct Slots<'a> {
    slot: [Option<&'a Value>; OPT_COUNT],
    present: u64,
    set: u64,
    /// `$name` options (user variables), in map order.
    pub vars: Vec<(&'a str, &'a Value)>,
}

impl<'a> Slots<'a> {
    /// Slots of `options`; `fetch_format` overrides the `fetch_format` option.
    #[inline(always)]
    pub fn new(options: &'a Map, fetch_format: Option<Option<&'a Value>>) -> Self {
        let mut s = Slots {
            slot: [None; OPT_COUNT],
            present: 0,
            set: 0,
            vars: Vec::new(),
        };
        for (k, v) in options.iter() {
            if let Some(opt) = classify(k) {
                s.put(opt, Some(v));
            } else if k.starts_with('$') {
                s.vars.push((k.as_str(), v));
            }
        }
        if let Some(ff) = fetch_format {
            s.put(Opt::FetchFormat, ff);
        }
        s
    }

    fn put(&mut self, opt: Opt, v: Option<&'a Value>) {
        let bit = 1u64 << opt as u32;
        self.slot[opt as usize] = v;
        self.present |= bit;
        if v.is_some_and(|v| !v.is_null()) {
            self.set |= bit;
        } else {
            self.set &= !bit;
        }
    }

    /// The value of `opt`, `None` when absent or null.
    #[inline(always)]
    pub fn get(&self, opt: Opt) -> Option<&'a Value> {
        if self.has(opt) {
            self.slot[opt as usize]
        } else {
            None
        }
    }

    /// Whether `opt` is present with a non-null value.
    #[inline(always)]
    pub fn has(&self, opt: Opt) -> bool {
        self.set & (1u64 << opt as u32) != 0
    }

    /// Whether `opt` is present at all (even as null).
    #[inline(always)]
    pub fn present(&self, opt: Opt) -> bool {
        self.present & (1u64 << opt as u32) != 0
    }

    /// The bits of the options present with a non-null value.
    pub fn set_bits(&self) -> u64 {
        self.set
    }
}

/// One parameter value, written into the component without an intermediate string
/// when it is an option value printed as it is.
pub(crate) enum Piece<'a> {
    Text(Cow<'a, str>),
    /// Printed with Python's `str()`.
    Py(&'a Value),
}

impl<'a> From<Cow<'a, str>> for Piece<'a> {
    fn from(c: Cow<'a, str>) -> Self {
        Piece::Text(c)
    }
}

/// A parameter value stored for assembly: borrowed from the options, an option value
/// printed with Python's `str()`, or a range of the per-call scratch buffer. `Copy`,
/// so the per-key table needs no drop glue.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Str(&'a str),
    Py(&'a Value),
    Scratch(u32, u32),
}

/// Stores `v` as a [`Slot`], moving owned text into `scratch`.
#[inline(always)]
fn place<'a>(scratch: &mut String, v: Option<Piece<'a>>) -> Option<Slot<'a>> {
    Some(match v? {
        Piece::Text(Cow::Borrowed(s)) => Slot::Str(s),
        // The first owned text becomes the scratch buffer itself (no copy).
        Piece::Text(Cow::Owned(s)) if scratch.is_empty() => {
            *scratch = s;
            Slot::Scratch(0, scratch.len() as u32)
        }
        Piece::Text(Cow::Owned(s)) => {
            let start = scratch.len() as u32;
            scratch.push_str(&s);
            Slot::Scratch(start, scratch.len() as u32)
        }
        Piece::Py(v) => Slot::Py(v),
    })
}

/// The component being built from one option map, handed to each row's rule.
pub(crate) struct Component<'o, 'b> {
    /// The options of this component (borrowed: the slot table is not copied).
    pub s: &'b Slots<'o>,
    pub config: &'o Config,
    /// The whole transformation so far: chained components are written here first.
    pub out: &'b mut String,
    /// Where this transformation starts in `out`.
    pub start_len: usize,
    /// Nesting depth of `transformation` chains.
    pub depth: usize,
    pub flags: Flags,
    /// `size` split into width and height texts.
    pub size: Option<(&'o str, &'o str)>,
    /// Rows whose rule has yet to run (a rule for several options clears the others).
    pub pending: u64,
    /// The `if` condition.
    pub condition: Option<Cow<'o, str>>,
    /// User variables, rendered, in order.
    pub variables: Vec<String>,
    /// `raw_transformation`, when used.
    pub raw: Option<&'o str>,
    scratch: String,
    /// Values by key, with a bit per filled key: assembly visits only those.
    vals: [Slot<'o>; KEY_COUNT],
    filled: u64,
}

impl<'o, 'b> Component<'o, 'b> {
    #[inline]
    pub fn new(
        s: &'b Slots<'o>,
        config: &'o Config,
        out: &'b mut String,
        depth: usize,
        flags: Flags,
        size: Option<(&'o str, &'o str)>,
    ) -> Self {
        Component {
            s,
            config,
            start_len: out.len(),
            out,
            depth,
            flags,
            size,
            pending: 0,
            condition: None,
            variables: Vec::new(),
            raw: None,
            scratch: String::new(),
            vals: [Slot::Str(""); KEY_COUNT],
            filled: 0,
        }
    }

    /// Stores the value of URL key `key` (its index in `KEY_TEXT`); `None` clears it.
    #[inline(always)]
    pub fn set<P: Into<Piece<'o>>>(&mut self, key: usize, v: Option<P>) {
        match place(&mut self.scratch, v.map(Into::into)) {
            Some(slot) => {
                self.vals[key] = slot;
                self.filled |= 1u64 << key;
            }
            None => self.filled &= !(1u64 << key),
        }
    }

    /// Stores the value of `key` by rendering it straight into the scratch buffer.
    pub fn set_with(
        &mut self,
        key: usize,
        render: impl FnOnce(&mut String) -> crate::Result<()>,
    ) -> crate::Result<()> {
        let start = self.scratch.len();
        render(&mut self.scratch)?;
        self.vals[key] = Slot::Scratch(start as u32, self.scratch.len() as u32);
        self.filled |= 1u64 << key;
        Ok(())
    }

    /// Writes this component after the chained ones: `if`, variables, the keyed
    /// parameters in key order, then `raw_transformation`. The separator is removed
    /// again if the component stays empty.
    #[inline]
    pub fn write(&mut self) {
        let out = &mut *self.out;
        let scratch = &self.scratch;
        let vals = &self.vals;
        let mut filled = self.filled;
        let had_content = out.len() > self.start_len;
        if had_content {
            out.push('/');
        }
        let comp_start = out.len();
        let sep = |out: &mut String| {
            if out.len() > comp_start {
                out.push(',');
            }
        };
        if let Some(c) = &self.condition {
            out.push_str("if_");
            out.push_str(c);
        }
        for v in &self.variables {
            sep(out);
            out.push_str(v);
        }
        while filled != 0 {
            let i = filled.trailing_zeros() as usize;
            filled &= filled - 1;
            let text: &str = match vals[i] {
                Slot::Str(t) => t,
                Slot::Scratch(a, b) => &scratch[a as usize..b as usize],
                Slot::Py(v) => {
                    sep(out);
                    out.push_str(KEY_PREFIX[i]);
                    v.push_py_str(out);
                    continue;
                }
            };
            // An empty text is never emitted (it is falsy and not zero).
            if !text.is_empty() {
                sep(out);
                out.push_str(KEY_PREFIX[i]);
                out.push_str(text);
            }
        }
        if let Some(r) = self.raw {
            sep(out);
            out.push_str(r);
        }
        if out.len() == comp_start && had_content {
            out.pop();
        }
    }
}
