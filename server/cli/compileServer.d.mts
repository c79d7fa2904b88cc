// The types of compileServer.mjs, for the TypeScript that uses it (its test).
export declare const REPO_ROOT: string;
export declare function buildDirOf(root: string): string;
export declare function compiledStartOf(root: string): string;
export declare function compiledIsStale(root?: string): boolean;
export declare function compileServer(root?: string): Promise<void>;
export declare function compileServerIfNeeded(root?: string): Promise<string>;
