import { toDataRecord } from './data.record.js';
import type { RecordRow } from './data.tables.js';

const row: RecordRow = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  seq: '17',
  owner: 'alice',
  key: 'test_value',
  nested: { field1: 123, field2: 'example' },
  tags: ['a', 'b'],
  attributes: { z: 1, a: 2 },
  version: 3,
  created_at: new Date('2024-05-01T10:00:00.123Z'),
  updated_at: new Date('2024-05-02T11:30:00.456Z'),
};

describe('toDataRecord', () => {
  it('maps a row to the API shape', () => {
    expect(toDataRecord(row)).toEqual({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      key: 'test_value',
      nested: { field1: 123, field2: 'example' },
      tags: ['a', 'b'],
      attributes: { z: 1, a: 2 },
      owner: 'alice',
      version: 3,
      createdAt: '2024-05-01T10:00:00.123Z',
      updatedAt: '2024-05-02T11:30:00.456Z',
    });
  });

  it('does not expose the internal insertion sequence', () => {
    expect(toDataRecord(row)).not.toHaveProperty('seq');
  });

  it('keeps attribute key order', () => {
    expect(Object.keys(toDataRecord(row).attributes)).toEqual(['z', 'a']);
  });

  it('keeps a null nested value', () => {
    expect(toDataRecord({ ...row, nested: null }).nested).toBeNull();
  });

  it('accepts timestamps a driver returns as text', () => {
    const fromText = { ...row, created_at: '2024-05-01T10:00:00.123Z', updated_at: '2024-05-02T13:30:00.456+02:00' } as unknown as RecordRow;
    expect(toDataRecord(fromText)).toMatchObject({ createdAt: '2024-05-01T10:00:00.123Z', updatedAt: '2024-05-02T11:30:00.456Z' });
  });
});
