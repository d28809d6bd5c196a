// Entry point for `extensionTestsPath`: the extension host calls run() and waits for its promise.
// Every *.test.js beside this file runs, in name order, in one mocha run.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      const total = mocha.suite.total();
      console.log(`layer A: ${total - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} of ${total} extension-host tests failed`));
      else resolve();
    });
  });
}
