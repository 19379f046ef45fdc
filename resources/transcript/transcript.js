// The transcript page: applies the operations TranscriptBridge sends (see
// docs/transcript.md) to one DOM of messages, typesets math with KaTeX and
// highlights finished code blocks with highlight.js.
//
// Rules that keep streaming cheap (measured, DESIGN.md §4):
//  - operations are queued as they arrive and applied once per animation
//    frame;
//  - a streaming message keeps its finished blocks and replaces only its tail;
//  - layout is never read per operation: whether to follow the bottom comes
//    from an IntersectionObserver, and the one scroll per frame happens after
//    all writes.
'use strict';

(function () {
    const root = document.getElementById('transcript');
    const sentinel = document.getElementById('bottom');
    const parser = document.createElement('template');
    const messages = new Map(); // id -> message record
    let order = []; // message records in model order
    let queue = []; // batches of operations waiting for the next frame
    let frameRequested = false;
    let following = true; // the bottom of the transcript is in view
    let channel = null; // TranscriptChannel, once the WebChannel is up
    let labels = {
        copy: 'Copy', copied: 'Copied', stopped: 'Stopped', interrupted: 'Interrupted',
        error: 'Error', previous: 'Previous version', next: 'Next version'
    };

    const stats = { batches: 0, ops: 0, applyMs: [], scrollMs: [], frameDeltas: null, lastFrame: 0 };

    // ---- Rendering helpers ------------------------------------------------

    function parse(html) {
        // A template's content is inert: nothing in it loads or runs until it is
        // moved into the document (and our CSP forbids inline script anyway).
        parser.innerHTML = html;
        return parser.content;
    }

    function typeset(el) {
        const tex = el.textContent;
        const displayMode = el.classList.contains('math-display');
        try {
            katex.render(tex, el, { displayMode: displayMode, throwOnError: false });
        } catch (e) {
            el.textContent = tex; // KaTeX failed beyond its own error rendering
        }
        el.parlanceTex = (displayMode ? 'D' : 'I') + tex;
    }

    function addCopyButton(pre) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'copy';
        button.textContent = labels.copy;
        pre.prepend(button);
    }

    // For blocks that will never change again: math, highlighting, copy buttons.
    function enhanceStable(fragment, html) {
        if (html.includes('math-')) {
            for (const el of fragment.querySelectorAll('.math-inline, .math-display'))
                typeset(el);
        }
        if (html.includes('<pre')) {
            for (const code of fragment.querySelectorAll('pre > code')) {
                if (/(^|\s)language-/.test(code.className) && typeof hljs !== 'undefined')
                    hljs.highlightElement(code);
                addCopyButton(code.parentElement);
            }
        }
    }

    // ---- Messages -----------------------------------------------------------

    function createMessage(id) {
        const el = document.createElement('article');
        el.className = 'message';
        const body = document.createElement('div');
        body.className = 'content';
        // Stable blocks and the tail live in separate containers so that a
        // new tail relays out only itself, not every block before it.
        const blocks = document.createElement('div');
        blocks.className = 'blocks';
        const tail = document.createElement('div');
        tail.className = 'tail';
        body.append(blocks, tail);
        const footer = document.createElement('div');
        footer.className = 'footer';
        el.append(body, footer);
        const m = { id: id, el: el, body: body, blocks: blocks, tail: tail, footer: footer, blockSizes: [], tailHtml: '',
                    tailHasMath: false, status: '' };
        el.parlanceMessage = m;
        return m;
    }

    function token(s) {
        return String(s || '').replace(/[^a-z0-9_-]/gi, '');
    }

    function applyMeta(m, op) {
        m.status = op.status;
        m.el.className = 'message role-' + token(op.role) + ' status-' + token(op.status);
        const parts = [];
        if (op.status === 'stopped' || op.status === 'interrupted' || op.status === 'error') {
            const badge = document.createElement('span');
            badge.className = 'badge badge-' + op.status;
            badge.textContent = labels[op.status] || op.status;
            parts.push(badge);
        }
        if (op.error) {
            const error = document.createElement('span');
            error.className = 'error-text';
            error.textContent = op.error;
            parts.push(error);
        }
        if (op.siblingCount > 1) {
            const nav = document.createElement('span');
            nav.className = 'siblings';
            const prev = document.createElement('button');
            prev.type = 'button';
            prev.className = 'sibling';
            prev.dataset.direction = '-1';
            prev.title = labels.previous;
            prev.textContent = '‹';
            prev.disabled = op.siblingIndex <= 0;
            const position = document.createElement('span');
            position.textContent = (op.siblingIndex + 1) + ' / ' + op.siblingCount;
            const next = document.createElement('button');
            next.type = 'button';
            next.className = 'sibling';
            next.dataset.direction = '1';
            next.title = labels.next;
            next.textContent = '›';
            next.disabled = op.siblingIndex >= op.siblingCount - 1;
            nav.append(prev, position, next);
            parts.push(nav);
        }
        m.footer.replaceChildren(...parts);
    }

    // Stable blocks are grouped into chunks of chunkSize elements, each with
    // content-visibility: auto, so that layout skips the chunks out of view:
    // a new tail then costs what is on screen, not the whole message.
    // Grouping by element count (not by update) gives the same DOM whether a
    // message arrived whole or streamed.
    const chunkSize = 16;

    function truncate(m, keep) {
        while (m.blockSizes.length > keep) {
            let n = m.blockSizes.pop();
            while (n-- > 0) {
                const chunk = m.blocks.lastChild;
                const node = chunk.lastChild;
                if (node.nodeType === Node.ELEMENT_NODE)
                    chunk.parlanceElements -= 1;
                node.remove();
                if (!chunk.firstChild)
                    chunk.remove();
            }
        }
    }

    function appendBlock(m, html) {
        const fragment = parse(html);
        enhanceStable(fragment, html);
        m.blockSizes.push(fragment.childNodes.length);
        let chunk = m.blocks.lastChild;
        while (fragment.firstChild) {
            const node = fragment.firstChild;
            const element = node.nodeType === Node.ELEMENT_NODE;
            if (!chunk || (element && chunk.parlanceElements >= chunkSize)) {
                chunk = document.createElement('div');
                chunk.className = 'chunk';
                chunk.parlanceElements = 0;
                m.blocks.append(chunk);
            }
            if (element)
                chunk.parlanceElements += 1;
            chunk.append(node);
        }
    }

    function setTail(m, html) {
        if (html === m.tailHtml)
            return;
        // Formulas already typeset in the old tail are moved into the new one
        // rather than typeset again on every frame.
        let reusable = null;
        if (m.tailHasMath) {
            reusable = new Map();
            for (const el of m.tail.querySelectorAll('.math-inline, .math-display')) {
                if (!el.parlanceTex)
                    continue;
                const list = reusable.get(el.parlanceTex) || [];
                list.push(el);
                reusable.set(el.parlanceTex, list);
            }
        }
        m.tail.innerHTML = html;
        m.tailHtml = html;
        m.tailHasMath = html.includes('math-');
        if (!m.tailHasMath)
            return;
        for (const el of m.tail.querySelectorAll('.math-inline, .math-display')) {
            const key = (el.classList.contains('math-display') ? 'D' : 'I') + el.textContent;
            const old = reusable && reusable.get(key);
            if (old && old.length > 0 && old[0].tagName === el.tagName)
                el.replaceWith(old.shift());
            else
                typeset(el);
        }
    }

    function insertMessages(index, ids) {
        const before = index < order.length ? order[index].el : null;
        const fragment = document.createDocumentFragment();
        const created = [];
        for (const id of ids) {
            const m = createMessage(id);
            messages.set(id, m);
            created.push(m);
            fragment.append(m.el);
        }
        root.insertBefore(fragment, before);
        order.splice(index, 0, ...created);
    }

    function apply(op) {
        switch (op.op) {
        case 'reset':
            root.replaceChildren();
            messages.clear();
            order = [];
            insertMessages(0, op.ids);
            return;
        case 'insert':
            insertMessages(op.index, op.ids);
            return;
        case 'remove': {
            const removed = order.splice(op.index, op.count);
            for (const m of removed) {
                m.el.remove();
                if (messages.get(m.id) === m)
                    messages.delete(m.id);
            }
            return;
        }
        }
        const m = messages.get(op.id);
        if (!m)
            return;
        switch (op.op) {
        case 'meta':
            applyMeta(m, op);
            break;
        case 'html':
            truncate(m, 0);
            appendBlock(m, op.html);
            setTail(m, '');
            break;
        case 'stream':
            truncate(m, op.keep);
            for (const html of op.blocks)
                appendBlock(m, html);
            setTail(m, op.tail);
            break;
        }
    }

    // ---- Batching -------------------------------------------------------------

    function enqueue(ops) {
        queue.push(ops);
        if (!frameRequested) {
            frameRequested = true;
            requestAnimationFrame(applyQueued);
        }
    }

    function applyQueued() {
        frameRequested = false;
        const t0 = performance.now();
        const batches = queue;
        queue = [];
        const follow = following;
        let count = 0;
        for (const ops of batches) {
            for (const op of ops) {
                try {
                    apply(op);
                } catch (e) {
                    console.error('transcript: failed to apply', op.op, e);
                }
                ++count;
            }
        }
        const t1 = performance.now();
        // The one layout of this frame, after every write. Not
        // scrollIntoView(): with content-visibility it cost 40-90 ms per call
        // on a 1,000-message transcript, while clamping scrollTop costs the
        // layout alone (bench_transcript).
        if (follow)
            document.scrollingElement.scrollTop = 1e9;
        const t2 = performance.now();
        stats.batches += 1;
        stats.ops += count;
        stats.applyMs.push(t2 - t0);
        stats.scrollMs.push(t2 - t1);
    }

    // Following the bottom stops when the view moves up and away from the
    // bottom, which only the user does: content growing never lowers scrollY,
    // and a shrinking tail that clamps it leaves the view at the bottom. It
    // resumes when the bottom is in view again. The scroll handler runs at
    // most once per frame, after layout, never per operation.
    let lastScrollY = window.scrollY;
    window.addEventListener('scroll', function () {
        const y = window.scrollY;
        if (y < lastScrollY - 1) {
            const root = document.scrollingElement;
            if (y + window.innerHeight < root.scrollHeight - 64)
                following = false;
        }
        lastScrollY = y;
    }, { passive: true });
    new IntersectionObserver(function (entries) {
        if (entries[entries.length - 1].isIntersecting) {
            following = true;
        } else if (following && !frameRequested) {
            // Content grew without an update of ours (a font arrived, a block
            // got its real height): catch up on the next frame.
            frameRequested = true;
            requestAnimationFrame(applyQueued);
        }
    }, { rootMargin: '0px 0px 64px 0px' }).observe(sentinel);

    // ---- Page -> application ------------------------------------------------

    document.addEventListener('click', function (event) {
        const target = event.target instanceof Element ? event.target : null;
        if (!target)
            return;
        const link = target.closest('a[href]');
        if (link) {
            // The view never navigates: the application opens the link.
            event.preventDefault();
            if (channel)
                channel.openLink(link.href);
            return;
        }
        const copy = target.closest('button.copy');
        if (copy) {
            const code = copy.parentElement.querySelector('code');
            if (channel && code)
                channel.copyCode(code.textContent);
            copy.textContent = labels.copied;
            setTimeout(function () { copy.textContent = labels.copy; }, 1500);
            return;
        }
        const sibling = target.closest('button.sibling');
        if (sibling) {
            const article = sibling.closest('article.message');
            if (channel && article && article.parlanceMessage)
                channel.switchSibling(article.parlanceMessage.id, Number(sibling.dataset.direction));
        }
    });
    // Middle click would ask for a new window; the click handler covers links.
    document.addEventListener('auxclick', function (event) {
        if (event.target instanceof Element && event.target.closest('a[href]'))
            event.preventDefault();
    });

    function applyTheme() {
        const dark = !!(channel && channel.darkTheme);
        document.documentElement.dataset.theme = dark ? 'dark' : 'light';
        document.getElementById('hljs-light').disabled = dark;
        document.getElementById('hljs-dark').disabled = !dark;
    }

    function applyFontSize() {
        if (channel && channel.fontSize > 0)
            document.documentElement.style.setProperty('--font-size', channel.fontSize + 'px');
    }

    // ---- Inspection (tests and benchmarks, through runJavaScript) -------------

    function percentile(sorted, p) {
        if (sorted.length === 0)
            return 0;
        return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    window.parlanceTranscript = {
        apply: enqueue, // the browser build feeds operations here directly
        idle: function () { return queue.length === 0 && !frameRequested; },
        following: function () { return following; },
        messageCount: function () { return order.length; },
        contentHtml: function (id) {
            const m = messages.get(id);
            return m ? m.body.innerHTML : null;
        },
        takeStats: function () {
            const out = { batches: stats.batches, ops: stats.ops, applyMs: stats.applyMs, scrollMs: stats.scrollMs };
            stats.batches = 0;
            stats.ops = 0;
            stats.applyMs = [];
            stats.scrollMs = [];
            return out;
        },
        startFrameTiming: function () {
            stats.frameDeltas = [];
            stats.lastFrame = 0;
            const tick = function (now) {
                if (stats.frameDeltas === null)
                    return;
                if (stats.lastFrame > 0)
                    stats.frameDeltas.push(now - stats.lastFrame);
                stats.lastFrame = now;
                requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        },
        stopFrameTiming: function () {
            const deltas = (stats.frameDeltas || []).slice().sort(function (a, b) { return a - b; });
            stats.frameDeltas = null;
            return { frames: deltas.length, p50: percentile(deltas, 0.5), p99: percentile(deltas, 0.99),
                     max: deltas.length ? deltas[deltas.length - 1] : 0 };
        }
    };

    if (typeof hljs !== 'undefined')
        hljs.configure({ ignoreUnescapedHTML: true });

    if (typeof qt !== 'undefined' && qt.webChannelTransport && typeof QWebChannel !== 'undefined') {
        new QWebChannel(qt.webChannelTransport, function (webChannel) {
            channel = webChannel.objects.transcript;
            if (channel.labels)
                labels = Object.assign(labels, channel.labels);
            applyTheme();
            applyFontSize();
            channel.darkThemeChanged.connect(applyTheme);
            channel.fontSizeChanged.connect(applyFontSize);
            channel.updates.connect(enqueue);
            channel.ready();
        });
    }
})();
