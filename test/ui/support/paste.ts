// Text put into a CodeMirror editor the way a person pastes it.
import type { Locator, Page } from 'playwright-core';

/**
 * Replaces the text of the CodeMirror editor `editor` (the element with its aria-label): select
 * all, then a paste event carrying the text, which the editor reads as it reads Ctrl+V. A long text
 * typed with keyboard.insertText goes through Chromium's own editing of the page first: a pasted
 * package of about 200 KB took 25 s that way, and no person enters a package like that.
 */
export async function pasteInto(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+A');
  await editor.evaluate((el, pasted) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', pasted);
    el.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
    );
  }, text);
}
