// memlab (a benchmark peer in bench/snapshot) depends on puppeteer, whose install step would
// download a Chrome build; we never drive a browser through it, and CI cannot download one.
module.exports = { skipDownload: true };
