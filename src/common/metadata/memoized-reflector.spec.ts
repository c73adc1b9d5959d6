import { Controller, Get, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MemoizedReflector } from './memoized-reflector.js';

const FLAG = 'spec:flag';

@Controller()
@SetMetadata(FLAG, 'class')
class Flagged {
  @Get()
  inherited() {}

  @Get()
  @SetMetadata(FLAG, 'handler')
  own() {}
}

@Controller()
@SetMetadata(FLAG, 'subclass')
class Subclass extends Flagged {}

describe('MemoizedReflector', () => {
  it('answers as the Reflector does: handler over class, per class for an inherited handler', () => {
    const metadata = new MemoizedReflector(new Reflector());
    expect(metadata.getAllAndOverride(FLAG, [Flagged.prototype.own, Flagged])).toBe('handler');
    expect(metadata.getAllAndOverride(FLAG, [Flagged.prototype.inherited, Flagged])).toBe('class');
    expect(metadata.getAllAndOverride(FLAG, [Flagged.prototype.inherited, Subclass])).toBe('subclass');
    expect(metadata.getAllAndOverride('spec:absent', [Flagged.prototype.own, Flagged])).toBeUndefined();
    expect(metadata.get(FLAG, Flagged.prototype.own)).toBe('handler');
  });

  it('reads the metadata once per handler, class and key', () => {
    const source = new Reflector();
    const read = jest.spyOn(source, 'getAllAndOverride');
    const metadata = new MemoizedReflector(source);
    for (let i = 0; i < 3; i++) {
      metadata.getAllAndOverride(FLAG, [Flagged.prototype.own, Flagged]);
      metadata.getAllAndOverride('spec:absent', [Flagged.prototype.own, Flagged]);
    }
    expect(read).toHaveBeenCalledTimes(2);
  });
});
