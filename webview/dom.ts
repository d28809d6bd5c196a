/** A tiny element builder: no innerHTML anywhere, so no string from a heap snapshot becomes markup. */

type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/** For web components (`vscode-button`...) whose tag names TypeScript does not know here. */
export function custom(tag: string, attributes: Attributes = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element: HTMLElement, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(element: HTMLElement, children: (Node | string | null | undefined)[]): void {
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Empties an element and fills it again. */
export function replaceChildren(element: Element, ...children: (Node | string | null | undefined)[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined));
}
