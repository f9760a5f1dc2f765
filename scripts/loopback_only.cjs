// Preloaded into the Agents Playground (`node --require <this file> cli.js start ...`).
//
// The Playground calls `server.listen(port)` without a host, which binds every
// interface. This wraps net.Server#listen so that any TCP listen without an
// explicit host binds 127.0.0.1 only. Unix sockets, fds and explicit hosts are
// left alone. http.Server (and so Express and the websocket upgrade handler)
// inherit from net.Server, so the one patch covers them all.
"use strict";
const net = require("net");

const LOOPBACK = "127.0.0.1";
const originalListen = net.Server.prototype.listen;

function isPort(value) {
  return (
    value === undefined ||
    value === null ||
    typeof value === "number" ||
    (typeof value === "string" && /^\d+$/.test(value))
  );
}

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === "function") {
    args.unshift(0, LOOPBACK);
  } else if (isPort(first)) {
    if (typeof args[1] !== "string") {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (
    first !== null &&
    typeof first === "object" &&
    !("path" in first) &&
    !("fd" in first) &&
    !("_handle" in first) &&
    !("handle" in first) &&
    !first.host
  ) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return originalListen.apply(this, args);
};
