/** The slice of web-ext's programmatic API the tests use (it ships no types). */
declare module 'web-ext' {
  interface LintMessage {
    code: string;
    message: string;
    file?: string;
  }
  interface LintResult {
    errors: LintMessage[];
    warnings: LintMessage[];
    notices: LintMessage[];
  }
  const webExt: {
    cmd: {
      lint(params: { sourceDir: string; output?: 'text' | 'json' | 'none' }, options: { shouldExitProgram: false }): Promise<LintResult>;
    };
  };
  export default webExt;
}
