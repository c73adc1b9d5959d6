/** The short report `npm run test:cluster` prints at the end: one line per measured fact. */
export class ClusterReport {
  private readonly lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
  }

  print(): void {
    process.stdout.write(`\ncluster report\n${this.lines.map((line) => `  ${line}`).join('\n')}\n\n`);
  }
}
