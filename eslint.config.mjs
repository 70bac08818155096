// ESLint flat config: typescript-eslint's recommended rules plus the type-aware promise and `any` rules, on every
// TypeScript file tsconfig.json covers. `npm run lint` runs with --max-warnings 0, so a warning fails it as an error
// does. Untyped input (parsed YAML, kubeconfigs, SDK internals) is read as `unknown` and narrowed
// (components/model/config/objects.ts), or given its real type; test files are the one exception (below).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        // examples/typescript-clusters imports the package by name: test/package/consumer.test.ts compiles it against the packed package.
        ignores: ["dist/**", "node_modules/**", "**/node_modules/**", ".pulumi-local/**", "scratch/**", "tmp/**", "**/*.d.ts", "examples/typescript-clusters/**"],
    },
    {
        files: ["**/*.ts"],
        extends: [js.configs.recommended, ...tseslint.configs.recommended],
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            // The SDKs' internal modules (runtime config/state/rpc, policy deserialize) have no typed export, and a
            // few call sites load Pulumi packages lazily on purpose; any other require() is an error.
            "@typescript-eslint/no-require-imports": ["error", { allow: ["^@pulumi/"] }],
            // A leading underscore marks a parameter kept for its position or arity.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/no-explicit-any": "warn",
            "@typescript-eslint/no-unsafe-assignment": "warn",
            "@typescript-eslint/no-unsafe-member-access": "warn",
            "@typescript-eslint/no-unsafe-call": "warn",
            "@typescript-eslint/no-unsafe-return": "warn",
            "@typescript-eslint/no-unsafe-argument": "warn",
        },
    },
    {
        // Test files read untyped data on purpose (Pulumi mock inputs, parsed YAML/JSON, kubectl output) and build ill-typed input on purpose (hostile configs); their assertions are the check. test/helpers/ keeps these rules.
        files: ["test/**/*.ts"],
        ignores: ["test/helpers/**"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
        },
    },
    {
        // A disable comment no rule needs is an error.
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
    {
        // This file and any other plain JavaScript: syntax rules only.
        files: ["**/*.{js,mjs,cjs}"],
        extends: [js.configs.recommended],
        languageOptions: { globals: { console: "readonly", process: "readonly" } },
    },
);
