// The admin center's Autopilot rules that run in the browser (web/src/pages/autopilot/): the device name
// template check gives the service's answers word for word, the import file is read as the portal reads it
// (and leaves per-device judgements to the service), and enrollment configurations are listed in the
// portal's order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deviceNameTemplateProblem as serviceProblem, deviceNameFromTemplate } from '../../src/intune/device-name-template.js';
import { parseAutopilotCsv } from '../../src/intune/autopilot-csv.js';
import { deviceNameProblem, deviceNameTemplateProblem, exampleDeviceName } from '../../web/src/pages/autopilot/name-template.js';
import { MAX_IMPORT_ROWS, importIdentity, parseImportFile, readImportFile } from '../../web/src/pages/autopilot/import-csv.js';
import { byPortalPriority, profileStatusLabel } from '../../web/src/pages/autopilot/labels.js';

const HEADER = 'Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User';
const hash = (serial: string) => Buffer.from(`TARMAC-HWID/1 ${JSON.stringify({ manufacturer: 'Contoso', model: 'Book', serialNumber: serial })}`).toString('base64');

describe('device name template', () => {
  it('answers as the service does, message for message', () => {
    const pieces = fc.constantFrom('A', 'z', '7', '0', '-', '_', ' ', '%', '%SERIAL%', '%serial%', '%RAND:3%', '%RAND:0%', '%rand:2%', '%RAND:12%', '%FOO%', 'CONTOSO', '12345');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const template = parts.join('');
        expect(deviceNameTemplateProblem(template)).toBe(serviceProblem(template));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the portal cases', () => {
    expect(deviceNameTemplateProblem('CON-%SERIAL%')).toBeUndefined();
    expect(deviceNameTemplateProblem('CON-%serial%')).toBe('Macros must be written in capitals: use %SERIAL% instead of %serial%.');
    expect(deviceNameTemplateProblem('12345')).toBe("A device name can't be all numbers.");
    expect(deviceNameTemplateProblem('CONTOSO-LAPTOP-01')).toBe('A device name must be 15 characters or less; this template makes 17.');
    expect(deviceNameTemplateProblem('')).toBeUndefined();
  });

  it('shows the name a device would get, as the service makes it (random digits as zeros)', () => {
    for (const template of ['CON-%SERIAL%', 'LAB-%RAND:4%', 'A%SERIAL%B', 'KIOSK-01']) {
      expect(exampleDeviceName(template, 'PF3XK2LM8Q-LONG-SERIAL')).toBe(deviceNameFromTemplate(template, 'PF3XK2LM8Q-LONG-SERIAL', () => 0));
    }
    expect(exampleDeviceName('%serial%', 'X')).toBeUndefined();
  });

  it("checks one device's name as updateDeviceProperties does", () => {
    expect(deviceNameProblem('FC-KIOSK-02')).toBeUndefined();
    expect(deviceNameProblem('1234')).toBe("A device name can't be all numbers.");
    expect(deviceNameProblem('THIS-NAME-IS-TOO-LONG')).toBe('A device name must be 1 to 15 letters, numbers or hyphens.');
  });
});

describe('import file', () => {
  it('takes the portal header and its shorter forms, and sends every row for the service to judge', () => {
    const text = [HEADER, `A1,,${hash('A1')},Sales,megan@contoso.com`, `A1,,${hash('A1')},,`, 'A2,,,,', ''].join('\r\n');
    const file = parseImportFile(text);
    expect(file.problems).toEqual([]);
    // The duplicate row and the empty hash go to the service, which names them (ZtdDeviceDuplicated, InvalidZtdHardwareHash).
    expect(file.rows.map((r) => [r.line, r.serialNumber, r.groupTag, r.assignedUser])).toEqual([
      [2, 'A1', 'Sales', 'megan@contoso.com'],
      [3, 'A1', '', ''],
      [4, 'A2', '', ''],
    ]);
    expect(importIdentity(file.rows[0]!)).toEqual({
      '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
      serialNumber: 'A1',
      productKey: '',
      hardwareIdentifier: hash('A1'),
      groupTag: 'Sales',
      assignedUserPrincipalName: 'megan@contoso.com',
    });
    expect(parseImportFile(`Device Serial Number,Windows Product ID,Hardware Hash\nA1,,${hash('A1')}`).rows).toHaveLength(1);
  });

  it('refuses what the portal refuses, by line', () => {
    const problems = (text: string) => parseImportFile(text).problems;
    expect(problems('')).toEqual([{ line: null, message: 'The file is empty.' }]);
    expect(problems(HEADER.toLowerCase())[0]!.message).toBe(`The header is case-sensitive: write '${HEADER}'.`);
    expect(problems('Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model')[0]!.message).toContain('Partner Center');
    expect(problems(HEADER)).toEqual([{ line: null, message: 'The file has a header but no devices.' }]);
    expect(problems(`${HEADER}\nA1,,${hash('A1')},Sales`)).toEqual([{ line: 2, message: 'The line has 4 values and the header 5.' }]);
    expect(problems(`${HEADER}\n"A1",,${hash('A1')},,`)[0]).toMatchObject({ line: 2, message: expect.stringContaining('quotation mark') });
    expect(problems(`${HEADER}\nA1,,not base64!,,`)[0]).toMatchObject({ line: 2, message: expect.stringContaining('Edm.Binary') });
    expect(problems(`${HEADER}\nA1,,${hash('A1')},,megan`)[0]).toMatchObject({ line: 2, message: expect.stringContaining('not a user principal name') });
    const many = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `S${i},,${hash(`S${i}`)},,`)].join('\n');
    expect(problems(many)).toEqual([{ line: null, message: `The file has ${MAX_IMPORT_ROWS + 1} devices; import at most ${MAX_IMPORT_ROWS} at a time: split it.` }]);
    // A file with a problem sends nothing.
    expect(parseImportFile(`${HEADER}\nA1,,${hash('A1')},,\nA2,,x,,`).rows).toEqual([]);
  });

  it('reads UTF-16 and a UTF-8 byte order mark as the service does, and agrees with it on which files are whole', () => {
    const text = `${HEADER}\r\nA1,,${hash('A1')},Sales,\r\n`;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const read = readImportFile(new Uint8Array(utf16));
    expect(read.rows.map((r) => r.serialNumber)).toEqual(['A1']);
    expect(read.notes[0]).toContain('UTF-16');
    expect(readImportFile(new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).rows).toHaveLength(1);
    // A file the service's reader takes whole is taken whole here.
    for (const file of [text, `Device Serial Number,Windows Product ID,Hardware Hash,Group Tag\nB1,,${hash('B1')},Tag\nB2,,${hash('B2')},\n`]) {
      expect(parseAutopilotCsv(new Uint8Array(Buffer.from(file))).problems).toEqual([]);
      expect(parseImportFile(file).problems).toEqual([]);
    }
  });
});

describe('labels and order', () => {
  it('lists enrollment configurations by priority, the default (0) last', () => {
    const list = [{ priority: 0 }, { priority: 2 }, { priority: 1 }, { priority: 3 }];
    expect([...list].sort(byPortalPriority).map((c) => c.priority)).toEqual([1, 2, 3, 0]);
  });

  it("words the profile status as the portal's column", () => {
    expect(['assignedInSync', 'assignedOutOfSync', 'notAssigned', 'pending', 'failed', undefined].map(profileStatusLabel)).toEqual([
      'Assigned',
      'Assigned',
      'Not assigned',
      'Assigning',
      'Attention required',
      'Unknown',
    ]);
  });
});
