"""asyncio support: the ``*_async`` methods run their blocking counterpart (which
releases the GIL while the engine works) in a worker thread of the running loop's
default executor, so the event loop keeps running during the call."""

import asyncio
from typing import Any, Callable

_DONE = object()


async def to_thread(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a worker thread (context variables kept)."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def anext_page(pages: Any) -> Any:
    """The next page of a :class:`cldkit.Pages`, fetched in a worker thread."""
    page = await asyncio.to_thread(next, pages, _DONE)
    if page is _DONE:
        raise StopAsyncIteration
    return page
