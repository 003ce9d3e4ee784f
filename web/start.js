// Loads the SPA's WebAssembly (kept out of index.html so the page needs no inline script).
import init from "./faro.js";
init();
