/**
 * English issue messages for zod/mini. Classic zod registers them itself; zod/mini ships no
 * locale, so without this every message would be "Invalid input" — and the messages reach clients
 * as problem+json field errors (`errors[].message`) and reach the logs. `z.config` is global and
 * read when a schema parses, so importing this module once before the first parse is enough: every
 * module that parses (and the shared schema building blocks) imports it for this effect.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());
