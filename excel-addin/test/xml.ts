/** A tiny element tree from saxes, a strict (well-formedness checking, namespace-aware) XML parser. */
import { SaxesParser } from "saxes";

export interface XmlElement {
  name: string; // qualified, as written: "bt:Image"
  local: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = typeof attr === "string" ? attr : attr.value;
    const element: XmlElement = { name: tag.name, local: tag.local ?? tag.name, uri: tag.uri ?? "", attributes, children: [], text: "" };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on("text", (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => void stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error("no root element");
  return root;
}

export function child(element: XmlElement, local: string): XmlElement {
  const found = element.children.find((c) => c.local === local);
  if (!found) throw new Error(`<${element.name}> has no <${local}>`);
  return found;
}

export function all(element: XmlElement, local: string): XmlElement[] {
  return [...element.children.filter((c) => c.local === local), ...element.children.flatMap((c) => all(c, local))];
}
