/**
 * Puts a rich menu live: check it here and with LINE, create it, upload its picture, make it the default, then
 * delete the earlier menus of the same name. The new menu is the default before any old one goes, so a citizen
 * never opens the chat to find no menu.
 */
import type { RichMenuClient } from './client';
import { type RichMenuRequest, assertRichMenu, richMenuDefinition } from './definition';
import { checkRichMenuImage } from './png';

/** The picture would be refused by LINE (size, format, bytes): said before anything is created. */
export class RichMenuImageError extends Error {
  constructor(readonly problems: string[]) {
    super(`The rich menu image cannot be used: ${problems.join('; ')}`);
    this.name = 'RichMenuImageError';
  }
}

export interface InstallOptions {
  image: Buffer;
  menu?: RichMenuRequest;
  /** One line per step, for a person watching the installer. */
  log?: (line: string) => void;
}

export interface InstallResult {
  richMenuId: string;
  /** The earlier menus of the same name, now deleted. */
  replaced: string[];
}

export async function installRichMenu(client: RichMenuClient, opts: InstallOptions): Promise<InstallResult> {
  const menu = assertRichMenu(opts.menu ?? richMenuDefinition());
  const log = opts.log ?? (() => {});
  const imageProblems = checkRichMenuImage(opts.image, menu.size);
  if (imageProblems.length) throw new RichMenuImageError(imageProblems);

  await client.validate(menu);
  log(`validated "${menu.name}": ${menu.areas.length} areas on ${menu.size.width}x${menu.size.height}`);
  const earlier = (await client.list()).filter((m) => m.name === menu.name).map((m) => m.richMenuId);

  const richMenuId = await client.create(menu);
  log(`created ${richMenuId}`);
  try {
    await client.uploadImage(richMenuId, opts.image, 'image/png');
    log(`uploaded the image (${(opts.image.length / 1024).toFixed(0)} KB)`);
    await client.setDefault(richMenuId);
    log(`set ${richMenuId} as the default rich menu for every user`);
  } catch (err) {
    // A menu without its picture or never made default is clutter that the next install would not recognise as
    // its own failure: take it back, then report what went wrong.
    await client.delete(richMenuId).catch(() => {});
    throw err;
  }

  for (const id of earlier) {
    await client.delete(id);
    log(`deleted the earlier ${id}`);
  }
  return { richMenuId, replaced: earlier };
}
