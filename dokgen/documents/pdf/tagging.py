"""Add to the structure tree of a tagged PDF in an incremental update (pyHanko's writer).

What the seal's revision needs to keep a PDF/UA-1 file tagged when it draws on a page and
adds a signature widget: new structure elements under the document's element, marked
content ids (MCIDs) on a page that continue the page's own, the widget as an object
reference in a /Form element, and the ParentTree that maps both back to their elements
(ISO 32000-1 §14.7.4.4). The ParentTree is rewritten as one flat number tree; LibreOffice
writes it flat already.
"""

from __future__ import annotations

import re
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

_MCID = re.compile(rb"/MCID\s+(\d+)")


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _name(value: str) -> generic.NameObject:
    return generic.pdf_name(value)


class Structure:
    """The structure tree of a tagged PDF, opened for additions in one incremental update.

    Make one with :meth:`of` (None for an untagged PDF); call :meth:`finish` before the
    writer writes.
    """

    def __init__(self, writer: IncrementalPdfFileWriter, tree_ref: Any) -> None:
        """Read the tree's role map, ParentTree and the element new elements go under."""
        self._writer = writer
        self._tree_ref = tree_ref
        self._tree = tree_ref.get_object()
        role_map = _resolved(self._tree.get("/RoleMap")) or {}
        self._roles = {str(k): str(v) for k, v in role_map.items()}
        self._nums: dict[int, Any] = {}
        parent_tree = self._tree.raw_get("/ParentTree") if "/ParentTree" in self._tree else None
        if parent_tree is not None:
            self._read_number_tree(_resolved(parent_tree))
        self._next_key = max(
            [int(self._tree.get("/ParentTreeNextKey", 0)), *(k + 1 for k in self._nums)]
        )
        self._next_mcid: dict[int, int] = {}
        self.document_ref = self._document_element()

    @classmethod
    def of(cls, writer: IncrementalPdfFileWriter) -> Structure | None:
        """Return the PDF's structure tree, or None when the PDF is not tagged."""
        if "/StructTreeRoot" not in writer.root:
            return None
        ref = writer.root.raw_get("/StructTreeRoot")
        if not isinstance(ref, generic.IndirectObject):
            return None
        return cls(writer, ref)

    def _read_number_tree(self, node: Any) -> None:
        """Collect a number tree's entries (its /Nums and its /Kids', recursively)."""
        nums = _resolved(node.get("/Nums")) if "/Nums" in node else None
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                self._nums[int(nums[i])] = nums.raw_get(i + 1)
        for kid in _resolved(node.get("/Kids")) or []:
            self._read_number_tree(_resolved(kid))

    def _role(self, kind: str) -> str:
        """Return a structure type mapped through the role map to its standard type."""
        for _ in range(10):  # a role map may chain; a cycle stops here
            if kind not in self._roles:
                break
            kind = self._roles[kind]
        return kind

    def _document_element(self) -> Any:
        """Return the reference of the element new elements go under: the one /Document
        element when the tree has one, else the StructTreeRoot."""
        kids = self._tree.raw_get("/K") if "/K" in self._tree else None
        kids = _resolved(kids)
        if isinstance(kids, list) and len(kids) == 1:
            kids = kids.raw_get(0) if hasattr(kids, "raw_get") else kids[0]
        if isinstance(kids, generic.IndirectObject):
            element = kids.get_object()
            if isinstance(element, dict) and self._role(str(element.get("/S"))) == "/Document":
                return kids
        return self._tree_ref

    def types(self) -> set[str]:
        """Return the standard structure types the tree holds (``/H1``, ``/P``, …)."""
        found: set[str] = set()
        todo = [self._tree.raw_get("/K")] if "/K" in self._tree else []
        seen: set[int] = set()
        while todo:
            node = todo.pop()
            if isinstance(node, generic.IndirectObject):
                if node.idnum in seen:
                    continue
                seen.add(node.idnum)
            node = _resolved(node)
            if isinstance(node, generic.ArrayObject):
                todo.extend(node.raw_get(i) for i in range(len(node)))
            elif isinstance(node, generic.DictionaryObject) and "/S" in node:
                found.add(self._role(str(node["/S"])))
                if "/K" in node:
                    todo.append(node.raw_get("/K"))
        return found

    def heading_type(self) -> str:
        """Return the heading type that fits the document's own headings: /H when it uses
        unnumbered headings, /H2 below an /H1, else /H1 (PDF/UA-1 forbids mixing H and Hn
        and skipping a level)."""
        types = self.types()
        numbered = {t for t in types if re.fullmatch(r"/H\d", t)}
        if "/H" in types and not numbered:
            return "/H"
        return "/H2" if "/H1" in types else "/H1"

    def element(
        self, kind: str, parent_ref: Any, *, alt: str | None = None
    ) -> generic.IndirectObject:
        """Add a structure element of type ``kind`` as the last child of ``parent_ref``."""
        element = generic.DictionaryObject(
            {
                _name("/Type"): _name("/StructElem"),
                _name("/S"): _name(kind),
                _name("/P"): parent_ref,
                _name("/K"): generic.ArrayObject(),
            }
        )
        if alt is not None:
            element[_name("/Alt")] = generic.TextStringObject(alt)
        ref = self._writer.add_object(element)
        self._append_kid(parent_ref, ref)
        return ref

    def _append_kid(self, parent_ref: Any, kid: Any) -> None:
        """Append ``kid`` to an element's (or the root's) /K, marking what changes."""
        parent = parent_ref.get_object()
        current = parent.raw_get("/K") if "/K" in parent else None
        if isinstance(current, generic.IndirectObject) and isinstance(
            current.get_object(), generic.ArrayObject
        ):
            current.get_object().append(kid)
            self._writer.mark_update(current)
            return
        if isinstance(current, generic.ArrayObject):
            current.append(kid)
        elif current is None:
            parent[_name("/K")] = generic.ArrayObject([kid])
        else:
            parent[_name("/K")] = generic.ArrayObject([current, kid])
        self._writer.mark_update(parent_ref)

    def mark(self, element_ref: Any, page_index: int) -> int:
        """Return a new MCID on the page for content of ``element_ref`` and record it in the
        element's /K and the page's ParentTree entry."""
        page_ref, _ = self._writer.find_page_for_modification(page_index)
        page = page_ref.get_object()
        key = self._page_key(page_ref, page)
        entry = self._nums.get(key)
        array = _resolved(entry) if entry is not None else None
        if not isinstance(array, generic.ArrayObject):
            array = generic.ArrayObject()
        else:
            array = generic.ArrayObject(array.raw_get(i) for i in range(len(array)))
        mcid = self._next_mcid.get(page_index)
        if mcid is None:
            mcid = max(len(array), _highest_mcid(page) + 1)
        self._next_mcid[page_index] = mcid + 1
        while len(array) < mcid:
            array.append(generic.NullObject())
        array.append(element_ref)
        self._nums[key] = array
        element = element_ref.get_object()
        if "/Pg" not in element:
            element[_name("/Pg")] = page_ref
        if element.raw_get("/Pg") == page_ref:
            element["/K"].append(generic.NumberObject(mcid))
        else:
            element["/K"].append(
                generic.DictionaryObject(
                    {
                        _name("/Type"): _name("/MCR"),
                        _name("/Pg"): page_ref,
                        _name("/MCID"): generic.NumberObject(mcid),
                    }
                )
            )
        return mcid

    def _page_key(self, page_ref: Any, page: Any) -> int:
        """Return the page's /StructParents key, giving the page one when it has none."""
        if "/StructParents" in page:
            return int(page["/StructParents"])
        key = self._next_key
        self._next_key += 1
        page[_name("/StructParents")] = generic.NumberObject(key)
        self._writer.mark_update(page_ref)
        return key

    def annotation(self, element_ref: Any, annot_ref: Any, page_ref: Any) -> None:
        """Make an annotation the content of ``element_ref``: an /OBJR in the element, a
        /StructParent in the annotation and the ParentTree entry between them."""
        key = self._next_key
        self._next_key += 1
        annot = annot_ref.get_object()
        annot[_name("/StructParent")] = generic.NumberObject(key)
        self._writer.mark_update(annot_ref)
        self._nums[key] = element_ref
        element = element_ref.get_object()
        element[_name("/Pg")] = page_ref
        element["/K"].append(
            generic.DictionaryObject(
                {
                    _name("/Type"): _name("/OBJR"),
                    _name("/Pg"): page_ref,
                    _name("/Obj"): annot_ref,
                }
            )
        )

    def finish(self) -> None:
        """Write the ParentTree (flat) and its next key into the update."""
        nums = generic.ArrayObject()
        for key in sorted(self._nums):
            nums.append(generic.NumberObject(key))
            nums.append(self._nums[key])
        parent_tree = generic.DictionaryObject({_name("/Nums"): nums})
        self._tree[_name("/ParentTree")] = self._writer.add_object(parent_tree)
        self._tree[_name("/ParentTreeNextKey")] = generic.NumberObject(self._next_key)
        self._writer.mark_update(self._tree_ref)


def _highest_mcid(page: Any) -> int:
    """Return the highest MCID the page's content streams use (-1 for none)."""
    contents = _resolved(page.get("/Contents")) if "/Contents" in page else None
    streams = contents if isinstance(contents, list) else [contents] if contents else []
    found = [int(m) for s in streams for m in _MCID.findall(_resolved(s).data)]
    return max(found, default=-1)


def set_tab_order(writer: IncrementalPdfFileWriter) -> None:
    """Give every page with annotations /Tabs /S (structure order), as PDF/UA-1 requires."""
    for index in range(int(writer.root["/Pages"]["/Count"])):
        page_ref, _ = writer.find_page_for_modification(index)
        page = page_ref.get_object()
        if "/Annots" in page and str(page.get("/Tabs")) != "/S":
            page[_name("/Tabs")] = _name("/S")
            writer.mark_update(page_ref)
