/**
 * State a component shows TypeScript callers only. The multi-language schema (plugin/, docs/other-languages.md)
 * lists every instance property of a component as an output, and some values cannot cross languages: child
 * components, union-typed model values, kubeconfig text that must not land in state as a plain output. Such
 * state is kept here, keyed by the component, and read through getters, which the schema does not list.
 */
export class TypeScriptOnly<C extends object, S> {
    private readonly byComponent = new WeakMap<C, S>();

    /** Records `state` for `component`; returns it. */
    set(component: C, state: S): S {
        this.byComponent.set(component, state);
        return state;
    }

    /** The state recorded for `component`; throws if its constructor has not recorded it yet. */
    get(component: C): S {
        const s = this.byComponent.get(component);
        if (s === undefined) throw new Error("component state read before its constructor recorded it");
        return s;
    }
}
