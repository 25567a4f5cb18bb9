/**
 * A strict XML well-formedness check (XML 1.0, 5th edition, the productions a generated SVG uses):
 * a prolog of declaration, comments, processing instructions and a DOCTYPE without internal
 * subset; one root element; properly nested, matching tags; quoted, unique attributes without `<`;
 * references only to the five predefined entities or to characters; no control characters. No
 * XML parser is among the project's dependencies, so the tests prove this one on malformed input.
 * Returns the first problem with its offset, or undefined when the text is well formed.
 */
export function xmlProblem(text: string): string | undefined {
    const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
    const SPACE = /[ \t\r\n]*/y;
    let at = 0;
    const fail = (what: string) => `${what} at offset ${at}`;
    const match = (re: RegExp): string | undefined => {
        re.lastIndex = at;
        const found = re.exec(text);
        if (found) {
            at += found[0].length;
        }
        return found?.[0];
    };
    const skipSpace = () => match(SPACE);
    const referencesProblem = (value: string): string | undefined => {
        for (const ref of value.matchAll(/&([^;&<]*)(;?)/g)) {
            const [, body, semicolon] = ref;
            const code = body.startsWith("#x") ? parseInt(body.slice(2), 16) : body.startsWith("#") ? parseInt(body.slice(1), 10) : NaN;
            const charRef = /^#(x[0-9a-fA-F]+|[0-9]+)$/.test(body);
            if (!semicolon || (!charRef && !["lt", "gt", "amp", "quot", "apos"].includes(body))) {
                return `"&${body}${semicolon}" is not a predefined entity or character reference`;
            }
            if (charRef && !(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))) {
                return `character reference &${body}; is not an XML character`;
            }
        }
        return undefined;
    };
    // XML's Char production: tab, line feed and carriage return are the only characters below 0x20.
    const control = [...text].findIndex((c) => {
        const code = c.codePointAt(0)!;
        return (code < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") || code === 0xfffe || code === 0xffff;
    });
    if (control >= 0) {
        at = control;
        return fail("a control character");
    }
    /** Comments, processing instructions and white space between the prolog, the root and the end. */
    const misc = (): string | undefined => {
        for (;;) {
            skipSpace();
            if (text.startsWith("<!--", at)) {
                const end = text.indexOf("-->", at + 4);
                if (end < 0 || text.slice(at + 4, end).includes("--") || text[end - 1] === "-") {
                    return fail("an unterminated comment or one containing --");
                }
                at = end + 3;
            } else if (text.startsWith("<?", at) && !/^<\?xml[ \t\r\n?]/i.test(text.slice(at, at + 6))) {
                const end = text.indexOf("?>", at);
                if (end < 0) {
                    return fail("an unterminated processing instruction");
                }
                at = end + 2;
            } else {
                return undefined;
            }
        }
    };
    if (text.startsWith("<?xml", at)) {
        const end = text.indexOf("?>", at);
        if (end < 0 || !/^<\?xml\s+version\s*=\s*("1\.[0-9]+"|'1\.[0-9]+')/.test(text.slice(at, end))) {
            return fail("a malformed XML declaration");
        }
        at = end + 2;
    }
    let problem = misc();
    if (problem) {
        return problem;
    }
    if (text.startsWith("<!DOCTYPE", at)) {
        const doctype = /<!DOCTYPE[ \t\r\n]+[A-Za-z_:][-A-Za-z0-9_:.]*([ \t\r\n]+(PUBLIC[ \t\r\n]+("[^"]*"|'[^']*')[ \t\r\n]+("[^"]*"|'[^']*')|SYSTEM[ \t\r\n]+("[^"]*"|'[^']*')))?[ \t\r\n]*>/y;
        if (!match(doctype)) {
            return fail("a DOCTYPE this check does not read (or a malformed one)");
        }
        problem = misc();
        if (problem) {
            return problem;
        }
    }
    const open: string[] = [];
    let rootSeen = false;
    while (at < text.length) {
        if (open.length === 0) {
            if (rootSeen) {
                problem = misc();
                if (problem) {
                    return problem;
                }
                return at < text.length ? fail("content after the root element") : undefined;
            }
            if (text[at] !== "<" || text.startsWith("</", at) || text.startsWith("<!", at)) {
                return fail("no root element");
            }
        }
        if (text.startsWith("<!--", at)) {
            problem = misc();
            if (problem) {
                return problem;
            }
        } else if (text.startsWith("<![CDATA[", at)) {
            const end = text.indexOf("]]>", at);
            if (end < 0) {
                return fail("an unterminated CDATA section");
            }
            at = end + 3;
        } else if (text.startsWith("<?", at)) {
            const end = text.indexOf("?>", at);
            if (end < 0 || /^<\?xml[ \t\r\n?]/i.test(text.slice(at, at + 6))) {
                return fail("a misplaced XML declaration or unterminated processing instruction");
            }
            at = end + 2;
        } else if (text.startsWith("</", at)) {
            at += 2;
            const name = match(NAME);
            skipSpace();
            if (!name || text[at] !== ">") {
                return fail("a malformed end tag");
            }
            if (open.pop() !== name) {
                return fail(`end tag </${name}> that closes no open element of that name`);
            }
            at += 1;
        } else if (text[at] === "<") {
            at += 1;
            const name = match(NAME);
            if (!name) {
                return fail("a malformed start tag");
            }
            const attributes = new Set<string>();
            for (;;) {
                const space = skipSpace();
                if (text.startsWith("/>", at) || text[at] === ">") {
                    break;
                }
                const attribute = space ? match(NAME) : undefined;
                if (!attribute) {
                    return fail(`a malformed attribute in <${name}>`);
                }
                if (attributes.has(attribute)) {
                    return fail(`attribute ${attribute} given twice in <${name}>`);
                }
                attributes.add(attribute);
                skipSpace();
                if (text[at] !== "=") {
                    return fail(`attribute ${attribute} without a value`);
                }
                at += 1;
                skipSpace();
                const value = match(/"[^"<]*"|'[^'<]*'/y);
                if (!value) {
                    return fail(`attribute ${attribute} with an unquoted value or a < in it`);
                }
                const refs = referencesProblem(value);
                if (refs) {
                    return fail(refs);
                }
            }
            rootSeen = true;
            if (text.startsWith("/>", at)) {
                at += 2;
            } else {
                at += 1;
                open.push(name);
            }
        } else {
            const end = text.indexOf("<", at);
            const chars = text.slice(at, end < 0 ? text.length : end);
            if (chars.includes("]]>")) {
                return fail("]]> in character data");
            }
            const refs = referencesProblem(chars);
            if (refs) {
                return fail(refs);
            }
            at += chars.length;
        }
    }
    return open.length > 0 ? fail(`<${open[open.length - 1]}> never closed`) : rootSeen ? undefined : fail("no root element");
}
