import { loadSettings } from '../config/settings';
import { checkFlowFiles, formatFlowError, listFlowFiles } from '../flows/files';

/**
 * `npm run flows:check [files...]`: the checks a flow gets on upload, run on files before they ship. With no
 * arguments, every flow file in FLOWS_DIR. Prints `file:line path: message (suggestion)`; exits 1 on any error.
 */
async function main(args: string[]): Promise<number> {
  let files = args;
  if (files.length === 0) {
    const dir = loadSettings().flowsDir;
    try {
      files = await listFlowFiles(dir);
    } catch (err) {
      console.error(`${dir}: cannot list flow files: ${(err as Error).message}`);
      return 1;
    }
    // Checking nothing and passing would hide a wrong FLOWS_DIR.
    if (files.length === 0) {
      console.error(`${dir}: no flow files (*.yaml, *.yml, *.json)`);
      return 1;
    }
  }
  const result = await checkFlowFiles(files);
  for (const e of result.errors) console.error(formatFlowError(e));
  const failed = new Set(result.errors.map((e) => e.file)).size;
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (result.ok) console.log(`${n(files.length, 'flow file')} checked: no errors`);
  else console.error(`${n(result.errors.length, 'error')} in ${n(failed, 'file')} of ${files.length} checked`);
  return result.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
