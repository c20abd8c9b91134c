// The server as Node runs it in production: server/main.ts and the project's modules in one JavaScript file,
// build/server.mjs, the packages in node_modules left as they are (imported at run time). Run by `npm start`
// before the server, every time (under a second), so the file is never older than the code.
//
// Why not `tsx server/main.ts`: tsx's loader runs on a thread of its own with its own V8 heap, about 50 MB for as
// long as the server lives (measured: the server's packages alone take 105 MB under node and 156 MB under tsx),
// which is a sixth of a small machine's memory for nothing the server does after it has started.
//
// Every module keeps where it was: `import.meta.url`, `import.meta.dirname` and `import.meta.filename` in a project
// file are rewritten to that file's own place (relative to the bundle, so a moved checkout still works), so files
// read beside a module (locales, places data, worker entries, the language model) are found as under tsx.
import { build } from 'esbuild';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'build', 'server.mjs');

/** `import.meta.*` in a project module, pointing at that module rather than at the bundle. */
const whereItWas = {
  name: 'where-it-was',
  setup(b) {
    b.onLoad({ filter: /\.(m?ts)$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      let text = await readFile(args.path, 'utf8');
      if (text.includes('import.meta.')) {
        const rel = relative(dirname(OUT), args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url)`;
        text = text
          .replaceAll('import.meta.url', `${url}.href`)
          .replaceAll('import.meta.dirname', `__whereItWas.dirname(__whereItWas.fileURLToPath(${url}))`)
          .replaceAll('import.meta.filename', `__whereItWas.fileURLToPath(${url})`);
        if (text.includes('__whereItWas.')) text = `import * as __whereItWasPath from 'node:path';\nimport * as __whereItWasUrl from 'node:url';\nconst __whereItWas = { dirname: __whereItWasPath.dirname, fileURLToPath: __whereItWasUrl.fileURLToPath };\n${text}`;
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

const started = performance.now();
const built = await build({
  entryPoints: [join(ROOT, 'server', 'main.ts')],
  outfile: OUT,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  keepNames: true,
  logLevel: 'warning',
  plugins: [whereItWas],
  banner: { js: '// Built by scripts/build-server.mjs from server/main.ts: edit the TypeScript, not this file.' },
});
// Written beside and renamed over: a server starting (or a test building at the same time) reads either the old
// file or the new one, never half of one.
await mkdir(dirname(OUT), { recursive: true });
const partial = `${OUT}.${process.pid}.partial`;
await writeFile(partial, built.outputFiles[0].contents);
await rename(partial, OUT);
if (process.argv.includes('--verbose')) console.log(`build/server.mjs in ${Math.round(performance.now() - started)} ms`);
