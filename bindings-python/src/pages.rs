//! `cldkit.Pages`: the pages of an Admin list call, following `next_cursor`.
//!
//! Iterate it (`for page in client.pages("resources", max_results=100)`) to fetch
//! each page with the GIL released, or `async for` it from asyncio (each page
//! fetched in a worker thread). A failed page raises its `HttpError` and ends the
//! iteration.

use std::sync::Mutex;

use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::api::finish;

/// The pure-Python helper turning one page fetch into a coroutine.
static ANEXT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Pages of an Admin API list call: an iterator (and async iterator) of the
/// answers, each a `dict` like the one `Client.admin` returns.
#[pyclass(name = "Pages", module = "cldkit", frozen)]
pub struct PyPages {
    /// The core's cursor-following iterator; locked (with the GIL released) while a
    /// page is fetched, so concurrent iterations take turns.
    inner: Mutex<cldkit::api::Pages>,
}

impl PyPages {
    /// Wraps the core's pages.
    pub fn new(pages: cldkit::api::Pages) -> Self {
        PyPages {
            inner: Mutex::new(pages),
        }
    }
}

#[pymethods]
impl PyPages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// Fetches the next page.
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = py.detach(|| {
            let mut pages = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            pages.next()
        });
        match next {
            None => Err(PyStopIteration::new_err(())),
            Some(r) => finish(py, r),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// A coroutine fetching the next page in a worker thread.
    fn __anext__<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let helper = ANEXT.get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("cldkit._aio")?.getattr("anext_page")?.unbind())
        })?;
        helper.bind(py).call1((slf,))
    }

    fn __repr__(&self) -> String {
        "cldkit.Pages(...)".to_owned()
    }
}
