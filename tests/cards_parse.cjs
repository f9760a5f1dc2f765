#!/usr/bin/env node
// Parse Adaptive Card JSON files with Microsoft's `adaptivecards` library and fail on any warning.
//
//   node tests/cards_parse.cjs FILE.json...
//
// Each file is checked four ways, all without a DOM (parsing and validation never touch one):
//   1. parse events of the library's SerializationContext, targeting schema 1.5 (what Teams
//      renders), so a 1.6 property or an unknown element type is an error;
//   2. properties the library does not know (it drops them silently), e.g. msteams.width;
//   3. the library's own validation (validateProperties): duplicate ids, too many actions, ...;
//   4. the same again on the "downlevel" card, where every element or action that has a
//      `fallback` object is replaced by it, as a client without Action.Execute sees it.
// Exit code 0 when every file is clean, 1 with one line per problem otherwise, 2 on bad usage.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// lib/ is ES modules with extensionless imports, which Node's resolver refuses; dist/ holds the
// same library as one UMD bundle that loads under require() with no window or document.
const LIBRARY = path.join(__dirname, "..", "node_modules/adaptivecards/dist/adaptivecards.js");
const AC = require(LIBRARY);
const VERSION = require(path.join(path.dirname(LIBRARY), "..", "package.json")).version;

// Keys the library reads outside its property schemas: children, fallbacks, a ShowCard's card.
const STRUCTURAL = new Set([
  "fallback", "body", "actions", "items", "columns", "inlines", "facts", "choices", "rows",
  "cells", "images", "card",
]);
// Plain objects inside elements, which the parse hooks below never see.
const NESTED = { FactSet: ["facts", AC.Fact], "Input.ChoiceSet": ["choices", AC.Choice] };

function schemaNames(cardObject) {
  const schema = cardObject.getSchema();
  const names = new Set();
  for (let i = 0; i < schema.getCount(); i++) {
    names.add(schema.getItemAt(i).name);
  }
  return names;
}

function unknownKeys(cardObject, source, where, problems) {
  const known = schemaNames(cardObject);
  for (const key of Object.keys(source)) {
    if (!known.has(key) && !STRUCTURAL.has(key)) {
      problems.push(`${where}: ${source.type} has a property the library does not know: ${key}`);
    }
  }
  const [listKey, ItemType] = NESTED[source.type] || [];
  for (const item of (listKey && source[listKey]) || []) {
    const itemKnown = schemaNames(new ItemType());
    for (const key of Object.keys(item)) {
      if (!itemKnown.has(key)) {
        problems.push(`${where}: ${source.type}.${listKey} has an unknown property: ${key}`);
      }
    }
  }
}

function check(json, where) {
  const problems = [];
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  context.onParseElement = (element, source) => unknownKeys(element, source, where, problems);
  context.onParseAction = (action, source) => unknownKeys(action, source, where, problems);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  unknownKeys(card, json, where, problems);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`${where}: parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`${where}: validation: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return problems;
}

function downlevel(node) {
  if (Array.isArray(node)) {
    return node.map(downlevel);
  }
  if (node === null || typeof node !== "object") {
    return node;
  }
  if (node.fallback && typeof node.fallback === "object") {
    return downlevel(node.fallback);
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "refresh" ? value : downlevel(value);
  }
  return out;
}

function main(files) {
  if (files.length === 0) {
    console.error("usage: node tests/cards_parse.cjs FILE.json...");
    return 2;
  }
  const problems = [];
  for (const file of files) {
    let json;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      problems.push(`${file}: not JSON: ${error.message}`);
      continue;
    }
    problems.push(...check(json, file), ...check(downlevel(json), `${file} (downlevel)`));
  }
  for (const problem of problems) {
    console.error(problem);
  }
  console.log(`adaptivecards ${VERSION}: ${files.length} file(s), ${problems.length} problem(s)`);
  return problems.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
