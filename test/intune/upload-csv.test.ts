// The upload formats read offline: encodings Windows tools write, the checks per row, and the device name
// template's rules and generated names.
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes } from '../../src/intune/csv-text.js';
import { parseAutopilotCsv } from '../../src/intune/autopilot-csv.js';
import { parseCorporateIdentifierCsv } from '../../src/intune/corporate-identifier-csv.js';
import { deviceNameFromTemplate, deviceNameTemplateProblem } from '../../src/intune/device-name-template.js';
import { decodeHardwareHash, isBase64, simulatedHardwareHash } from '../../src/intune/hardware-hash.js';

const text = 'Device Serial Number,Windows Product ID,Hardware Hash\r\nABC,,QUJD\r\n';

describe('CSV text', () => {
  it('reads UTF-8, UTF-8 with BOM, UTF-16 LE/BE with or without BOM, and ANSI', () => {
    const be = Buffer.from(text, 'utf16le').swap16();
    const cases: [Buffer, string][] = [
      [Buffer.from(text, 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8 with BOM'],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
      [Buffer.from(text, 'utf16le'), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be'],
      [be, 'utf-16be'],
    ];
    for (const [bytes, encoding] of cases) {
      const decoded = decodeCsvBytes(bytes);
      expect(decoded.encoding).toBe(encoding);
      expect(decoded.text).toBe(text);
    }
    const latin = decodeCsvBytes(Buffer.from('Lenovo,Génération,1', 'latin1'));
    expect(latin).toEqual({ encoding: 'windows-1252', text: 'Lenovo,Génération,1' });
  });
});

describe('Autopilot hardware hash CSV', () => {
  it('accepts the three header forms Get-WindowsAutopilotInfo writes', () => {
    for (const header of ['Device Serial Number,Windows Product ID,Hardware Hash', 'Device Serial Number,Windows Product ID,Hardware Hash,Group Tag', 'Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User']) {
      const fields = header.split(',').length;
      const row = ['S1', 'PK', 'QUJD', 'Sales', 'a@contoso.com'].slice(0, fields).join(',');
      const csv = parseAutopilotCsv(Buffer.from(`${header}\n${row}\n`));
      expect(csv.problems).toEqual([]);
      expect(csv.rows).toEqual([{ line: 2, serialNumber: 'S1', productKey: 'PK', hardwareHash: 'QUJD', groupTag: fields > 3 ? 'Sales' : '', assignedUser: fields > 4 ? 'a@contoso.com' : '' }]);
    }
  });

  it('numbers lines as an editor does, skipping blank lines', () => {
    const csv = parseAutopilotCsv(Buffer.from('Device Serial Number,Windows Product ID,Hardware Hash\n\nS1,,QUJD\n\n,,REVG\n'));
    expect(csv.rows.map((r) => r.line)).toEqual([3]);
    expect(csv.problems).toEqual([{ line: 5, message: 'Device Serial Number is empty' }]);
  });
});

describe('corporate identifier CSV', () => {
  it('reads manufacturer,model,serial lines without a header', () => {
    const csv = parseCorporateIdentifierCsv(Buffer.from('Microsoft,surface 5,01234567890123\r\n Lenovo , thinkpad t14 ,02234567890123\r\n'));
    expect(csv.problems).toEqual([]);
    expect(csv.rows.map((r) => r.identifier)).toEqual(['Microsoft,surface 5,01234567890123', 'Lenovo,thinkpad t14,02234567890123']);
  });
});

describe('device name templates', () => {
  it('checks the documented rules', () => {
    const valid = ['', 'CONTOSO-%SERIAL%', 'AP-%RAND:5%', '%SERIAL%', 'LAB-PC', 'ABCDEFGHIJKLMNO', 'ABCDEFGHIJ%RAND:5%', 'X%RAND:3%%SERIAL%'];
    for (const t of valid) expect(deviceNameTemplateProblem(t), t).toBeUndefined();
    const invalid: [string, RegExp][] = [
      ['ABCDEFGHIJKLMNOP', /15 characters/],
      ['ABCDEFGHIJK%RAND:5%', /15 characters/],
      ['ABCDEFGHIJKLMNO%SERIAL%', /15 characters/],
      ['%serial%', /capitals/],
      ['PC-%rand:4%', /capitals/],
      ['PC-%RAND5%', /not a macro/],
      ['PC-%USERNAME%', /not a macro/],
      ['PC 1', /spaces/],
      ['PC_1', /letters, numbers and hyphens/],
      ['12345', /all numbers/],
      ['12%RAND:4%', /all numbers/],
      ['PC-%SERIAL%%SERIAL%', /only once/],
      ['PC-100%', /macro/],
    ];
    for (const [t, message] of invalid) expect(deviceNameTemplateProblem(t), t).toMatch(message);
  });

  it('makes names: the serial cut from the beginning to fit 15 characters, random digits taking priority', () => {
    const digits = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    let i = 0;
    const next = () => digits[i++ % digits.length]!;
    expect(deviceNameFromTemplate('CONTOSO-%SERIAL%', 'PF2ABCDE.12345', next)).toBe('CONTOSO-DE12345');
    expect(deviceNameFromTemplate('%SERIAL%', 'SHORT1', next)).toBe('SHORT1');
    expect(deviceNameFromTemplate('AP-%RAND:4%', 'X', next)).toBe('AP-1234');
    expect(deviceNameFromTemplate('AP-%RAND:2%-%SERIAL%', 'SERIAL', next)).toBe('AP-56-');
  });
});

describe('hardware hashes', () => {
  it('checks base64 and decodes the hashes Tarmac writes for simulated devices', () => {
    expect(isBase64('QUJD')).toBe(true);
    expect(isBase64('QUJ')).toBe(false);
    expect(isBase64('not base64')).toBe(false);
    const hash = simulatedHardwareHash({ manufacturer: 'Dell Inc.', model: 'Latitude 7440', serialNumber: 'ABC123' });
    expect(decodeHardwareHash(hash)).toEqual({ manufacturer: 'Dell Inc.', model: 'Latitude 7440', serialNumber: 'ABC123' });
    expect(decodeHardwareHash(Buffer.from('x'.repeat(100)).toString('base64'))).toBeUndefined();
  });
});
