//! `cldkit.AccountClient`: the Provisioning (account) API's client. Its named methods
//! (`sub_accounts`, `create_user`, ...) are generated from the call catalogue
//! (`cldkit/_calls.py`) and go through `call`.

use pyo3::prelude::*;

use crate::api;
use crate::errors::{check, guard};
use crate::methods::{py_methods, Obj};

/// A client of the Provisioning API (sub-accounts, users, user groups, access keys),
/// configured from a `CLOUDINARY_ACCOUNT_URL`
/// (`account://provisioning_key:provisioning_secret@account_id`). With no `url`,
/// the `CLOUDINARY_ACCOUNT_URL` environment variable is read (and the
/// `upload_prefix` of `CLOUDINARY_URL` when the account URL has none). Immutable and
/// thread-safe; `repr` never shows the secret.
#[pyclass(name = "AccountClient", module = "cldkit", frozen)]
pub struct PyAccountClient {
    inner: cldkit::api::AccountClient,
}

py_methods! {
#[pymethods]
impl PyAccountClient {
convert {
    /// Runs a Provisioning API call of the catalogue by its SDK name, its positional
    /// arguments by name in `args` and keyword options in `options`; blocks with the
    /// GIL released and returns the answer as a `dict`.
    #[pyo3(signature = (name, args = None, options = None))]
    fn call<'py>(name: keep(&str), args: opt_dict(Option<&Obj<'py>>), options: opt_dict(Option<&Obj<'py>>),) -> Obj<'py>
        => |py, c| api::call(py, c, name, &args, &options);
}
to_thread {
    /// `call` in a worker thread, for asyncio.
    fn call_async(*args, **kwargs) = "call", "($self, name, args=None, options=None)";
}
    /// Creates an account client from `url`, or from the environment when `None`.
    #[new]
    #[pyo3(signature = (url = None))]
    fn new(py: Python<'_>, url: Option<&str>) -> PyResult<Self> {
        guard(py, || {
            let inner = match url {
                Some(u) => check(py, cldkit::api::AccountClient::from_url(u))?,
                None => check(py, cldkit::api::AccountClient::from_env())?,
            };
            Ok(PyAccountClient { inner })
        })
    }

    /// `cldkit.AccountClient(...)` with the settings, secrets hidden.
    fn __repr__(&self) -> String {
        format!("cldkit.AccountClient({:?})", self.inner.client().config())
    }
}
}
