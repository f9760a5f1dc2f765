// Validates a Teams app package's JSON files with Microsoft's own npm package
// @microsoft/app-manifest, against the JSON schemas that package ships.
//
// stdin:  {"version": "1.30", "schemaRoot": null | "<dir holding v1.NN/>",
//          "documents": [{"file": "manifest.json", "schema": "MicrosoftTeams.schema.json",
//                         "document": {...}}, ...]}
// stdout: {"issues": [{"file": "...", "pointer": "/bots/0/...", "message": "..."}]}
// Exit 0 when it could validate (with or without issues), 2 when it could not.
//
// Nothing is downloaded: every schema is read from disk and handed to the validator, so
// the package never looks at a document's "$schema" URL; fetch is disabled all the same.
"use strict";
const fs = require("fs");
const path = require("path");

globalThis.fetch = async (url) => {
  throw new Error(`no downloads while validating the manifest (asked for ${url})`);
};

function fatal(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let manifestPackage;
let packageDir;
try {
  manifestPackage = require("@microsoft/app-manifest");
  packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
} catch (error) {
  fatal(
    `cannot load the npm package @microsoft/app-manifest (${error.message.split("\n")[0]}); ` +
      "run `npm ci` in the repository root",
  );
}
// The package's own validator setup, used where the package's entry point cannot be:
// ajv-draft-04 with allErrors, strictTypes off and the uri/email/regex formats.
const fromPackage = (name) => require(require.resolve(name, { paths: [packageDir] }));
const AjvDraft04 = fromPackage("ajv-draft-04");
const addFormats = fromPackage("ajv-formats");

function readSchema(file) {
  // The same clean-up the package applies to the schemas it loads: JSON cannot hold the
  // "\a" and "\v" escapes some patterns use.
  const raw = fs.readFileSync(file, "utf8");
  return JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

function parse(line) {
  // The package reports "<instancePath> <message>. Details: <params as JSON>".
  const space = line.indexOf(" ");
  return space < 0
    ? { pointer: "", message: line }
    : { pointer: line.slice(0, space), message: line.slice(space + 1) };
}

async function viaPackage(document, schema) {
  const lines = await manifestPackage.AppManifestUtils.validateAgainstSchema(document, schema);
  return lines.map(parse);
}

function viaAjvWithoutUnicode(document, schema) {
  // Ajv compiles patterns with the "u" flag by default, and the localization schemas'
  // own patternProperties ("...\[\b(...)\b]...") are not valid in that mode, so the
  // package's validateAgainstSchema throws on them. Same setup, non-unicode patterns.
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return validate.errors.map((error) => ({
    pointer: error.instancePath,
    message: `${error.message || ""}. Details: ${JSON.stringify(error.params || {})}`,
  }));
}

function compileProblem(error) {
  return error.missingRef
    ? `schema reference not available offline: ${error.message}`
    : `schema cannot be compiled: ${error.message}`;
}

async function validateOne(item, directory) {
  const file = path.join(directory, item.schema);
  if (!fs.existsSync(file)) {
    return [{ pointer: "", message: `no schema ${item.schema} in ${directory}` }];
  }
  const schema = readSchema(file);
  try {
    return await viaPackage(item.document, schema);
  } catch (error) {
    if (!(error instanceof SyntaxError) || !/Invalid regular expression/.test(error.message)) {
      return [{ pointer: "", message: compileProblem(error) }];
    }
  }
  try {
    return viaAjvWithoutUnicode(item.document, schema);
  } catch (error) {
    return [{ pointer: "", message: compileProblem(error) }];
  }
}

function versions(root) {
  if (!fs.existsSync(root)) return "nothing";
  const found = fs.readdirSync(root).filter((name) => name.startsWith("v"));
  return found.sort().join(", ") || "nothing";
}

async function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const root =
    request.schemaRoot || path.join(packageDir, "build", "json-schemas", "teams");
  const directory = path.join(root, `v${request.version}`);
  if (!fs.existsSync(directory)) {
    const message =
      `no Teams manifest schema for manifestVersion ${request.version} under ${root} ` +
      `(found: ${versions(root)})`;
    return { issues: [{ file: "manifest.json", pointer: "/manifestVersion", message }] };
  }
  const issues = [];
  for (const item of request.documents) {
    for (const issue of await validateOne(item, directory)) {
      issues.push({ file: item.file, ...issue });
    }
  }
  return { issues };
}

main().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error) => fatal(`manifest validation failed: ${error.stack || error}`),
);
