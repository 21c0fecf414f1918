/** Specification of the permissive nbformat 4 notebook that import accepts and export produces. */
import { IpynbCellMetadata, IpynbNotebook } from "../src/index.js";
import { broken, runCases } from "./cases.js";
import { ipynb } from "./samples.js";

runCases([
  {
    name: "a Jupyter notebook with code, outputs and markdown is valid",
    schema: IpynbNotebook,
    value: ipynb,
  },
  { name: "a notebook with no cells is valid", schema: IpynbNotebook, value: { ...ipynb, cells: [] } },
  {
    name: "fields Jupyter adds that we do not use are kept, not refused",
    schema: IpynbNotebook,
    value: broken(ipynb, (nb) => {
      Object.assign(nb, { extra_top: 1 });
      Object.assign(nb.cells[0]!, { collapsed: true });
    }),
  },
  {
    name: "a raw cell is valid",
    schema: IpynbNotebook,
    value: { ...ipynb, cells: [{ cell_type: "raw", source: "", metadata: {} }] },
  },
  {
    name: "nbformat 3 is refused",
    schema: IpynbNotebook,
    value: { ...ipynb, nbformat: 3 },
    rejectsAt: "/nbformat",
  },
  {
    name: "nbformat is a number, not text",
    schema: IpynbNotebook,
    value: { ...ipynb, nbformat: "4" },
    rejectsAt: "/nbformat",
  },
  {
    name: "nbformat_minor is required",
    schema: IpynbNotebook,
    value: broken(ipynb, (nb) => Reflect.deleteProperty(nb, "nbformat_minor")),
    rejectsAt: "/nbformat_minor",
  },
  {
    name: "metadata is required",
    schema: IpynbNotebook,
    value: broken(ipynb, (nb) => Reflect.deleteProperty(nb, "metadata")),
    rejectsAt: "/metadata",
  },
  { name: "cells are a list", schema: IpynbNotebook, value: { ...ipynb, cells: {} }, rejectsAt: "/cells" },
  {
    name: "a cell needs its cell_type",
    schema: IpynbNotebook,
    value: { ...ipynb, cells: [{ source: "" }] },
    rejectsAt: "/cells/0/cell_type",
  },
  {
    name: "a cell_type of sql is not nbformat",
    schema: IpynbNotebook,
    value: { ...ipynb, cells: [{ cell_type: "sql", source: "" }] },
    rejectsAt: "/cells/0/cell_type",
  },
  {
    name: "a cell needs its source",
    schema: IpynbNotebook,
    value: { ...ipynb, cells: [{ cell_type: "code" }] },
    rejectsAt: "/cells/0/source",
  },
  {
    name: "a source is text or lines of text",
    schema: IpynbNotebook,
    value: { ...ipynb, cells: [{ cell_type: "code", source: [1, 2] }] },
    rejectsAt: "/cells/0/source",
  },
  {
    name: "an output needs its output_type",
    schema: IpynbNotebook,
    value: broken(ipynb, (nb) => {
      nb.cells[0]!.outputs = [{ text: "x" } as never];
    }),
    rejectsAt: "/cells/0/outputs/0/output_type",
  },
  {
    name: "our sql cell metadata round-trips",
    schema: IpynbCellMetadata,
    value: { type: "sql", name: "rows" },
  },
]);
