// Leak 1, a URL-keyed cache: every distinct URL gets its own entry and nothing ever evicts one.
// Clients add query strings (?session=…, ?t=…), so in practice every request is a new key.
'use strict';

const renderedPages = new Map();

/** Returns the page for `url`, rendering and caching it the first time. */
function cachedPage(url, render) {
  let page = renderedPages.get(url);
  if (page === undefined) {
    page = render();
    renderedPages.set(url, page);
  }
  return page;
}

module.exports = { cachedPage };
