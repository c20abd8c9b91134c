/**
 * `npm run richmenu:render [out.png]`: draws the rich menu picture and writes it (default richmenu/richmenu.png,
 * the file the installer uploads and the repository keeps). Checks LINE's size and 1 MB limits before writing.
 */
import { writeFile } from 'node:fs/promises';
import { richMenuDefinition } from './definition';
import { DEFAULT_IMAGE } from './paths';
import { checkRichMenuImage } from './png';
import { renderRichMenuImage } from './renderer';

async function main(args: string[]): Promise<number> {
  const out = args[0] ?? DEFAULT_IMAGE;
  const menu = richMenuDefinition();
  const started = Date.now();
  const png = await renderRichMenuImage();
  const problems = checkRichMenuImage(png, menu.size);
  if (problems.length) {
    for (const p of problems) console.error(`richmenu: ${p}`);
    return 1;
  }
  await writeFile(out, png);
  console.log(
    `richmenu: wrote ${out} (${menu.size.width}x${menu.size.height}, ${(png.length / 1024).toFixed(0)} KB, ${Date.now() - started} ms)`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
