import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

/**
 * The layout CONTRIBUTING.md describes, held: one folder per command (options, command, report),
 * and no import circle anywhere in src/ (a circle makes load order decide what a module sees).
 * Type-only imports are left out: they vanish when compiled.
 */
const SRC = join(__dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The src/ files a module loads when it runs: imports, re-exports and require() calls. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly)
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "require" &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    )
      specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((s) => s.startsWith("."))
    .flatMap((s) => {
      const base = resolve(dirname(file), s);
      return [`${base}.ts`, join(base, "index.ts")].filter(existsSync).slice(0, 1);
    });
}

/** Every cycle's members (Tarjan's strongly connected components of more than one file). */
function importCircles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      members.push(relative(SRC, w));
      if (w === v) break;
    }
    if (members.length > 1) circles.push(members.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return circles;
}

describe("the source layout", () => {
  it("has no import circle in src/", () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [f, runtimeImports(f)]));
    expect(graph.size).to.be.greaterThan(50);
    expect(importCircles(graph)).to.deep.equal([]);
  });

  it("finds a circle when there is one (the check above can fail)", () => {
    const a = join(SRC, "a.ts");
    const b = join(SRC, "b.ts");
    expect(
      importCircles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).to.deep.equal([["a.ts", "b.ts"]]);
  });

  it("keeps each command in its own folder: options, command, report, its own program", () => {
    for (const command of ["check", "audit", "plan", "rules"]) {
      for (const part of ["options.ts", "command.ts", "report.ts", "program.ts"])
        expect(existsSync(join(SRC, "cli", command, part)), `cli/${command}/${part}`).to.equal(
          true,
        );
    }
  });

  it("gives each command's own program none of the other commands' code", () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [f, runtimeImports(f)]));
    const commands = ["check", "audit", "plan", "rules"];
    for (const command of commands) {
      const loaded = new Set<string>();
      const visit = (file: string) => {
        if (loaded.has(file)) return;
        loaded.add(file);
        for (const next of graph.get(file) ?? []) visit(next);
      };
      visit(join(SRC, "cli", command, "program.ts"));
      const others = [...loaded].filter((f) =>
        commands.some((c) => c !== command && f.startsWith(join(SRC, "cli", c) + "/")),
      );
      expect(
        others.map((f) => relative(SRC, f)),
        command,
      ).to.deep.equal([]);
      expect(loaded.has(join(SRC, "cli", "program.ts")), command).to.equal(false);
    }
  });
});
