// Renders ZPL files to PNG with an independent ZPL interpreter (zebrash,
// compiled to WebAssembly, from the npm package zpl-renderer-js), so label
// tests can check that what Packline sends a Zebra printer prints right.
//
// usage: node render.cjs WIDTH_MM HEIGHT_MM DOTS_PER_MM IN.zpl OUT.png [IN OUT ...]
// One process renders many labels: starting the WebAssembly module costs
// most of a second.
"use strict";
if (!globalThis.crypto) globalThis.crypto = require("node:crypto").webcrypto;  // Node 18
const fs = require("node:fs");
const { ready } = require("zpl-renderer-js");

(async () => {
  const [widthMm, heightMm, dotsPerMm, ...files] = process.argv.slice(2);
  if (files.length === 0 || files.length % 2 !== 0) {
    console.error("usage: node render.cjs WIDTH_MM HEIGHT_MM DOTS_PER_MM IN.zpl OUT.png ...");
    process.exit(2);
  }
  const { api } = await ready;
  for (let i = 0; i < files.length; i += 2) {
    const zpl = fs.readFileSync(files[i], "utf8");
    const png = await api.zplToBase64Async(zpl, Number(widthMm), Number(heightMm), Number(dotsPerMm));
    fs.writeFileSync(files[i + 1], Buffer.from(png, "base64"));
  }
})().catch((error) => {
  console.error("zpl-render: " + String(error));
  process.exit(1);
});
