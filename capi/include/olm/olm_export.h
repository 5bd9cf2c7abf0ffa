/* Symbol visibility for the olm headers.
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 *
 * OLM_EXPORT marks the functions the library exports. Defining
 * OLM_STATIC_DEFINE turns every macro here into nothing, which tools that
 * only parse declarations (such as the cffi build of python-olm) rely on.
 */
#ifndef OLM_EXPORT_H
#define OLM_EXPORT_H

#if defined(OLM_STATIC_DEFINE)
#  define OLM_EXPORT
#  define OLM_NO_EXPORT
#  define OLM_DEPRECATED
#elif defined(_WIN32)
#  ifndef OLM_EXPORT
#    define OLM_EXPORT __declspec(dllimport)
#  endif
#  ifndef OLM_NO_EXPORT
#    define OLM_NO_EXPORT
#  endif
#  ifndef OLM_DEPRECATED
#    define OLM_DEPRECATED __declspec(deprecated)
#  endif
#else
#  ifndef OLM_EXPORT
#    define OLM_EXPORT __attribute__((visibility("default")))
#  endif
#  ifndef OLM_NO_EXPORT
#    define OLM_NO_EXPORT __attribute__((visibility("hidden")))
#  endif
#  ifndef OLM_DEPRECATED
#    define OLM_DEPRECATED __attribute__((__deprecated__))
#  endif
#endif

#ifndef OLM_DEPRECATED_EXPORT
#  define OLM_DEPRECATED_EXPORT OLM_EXPORT OLM_DEPRECATED
#endif

#ifndef OLM_DEPRECATED_NO_EXPORT
#  define OLM_DEPRECATED_NO_EXPORT OLM_NO_EXPORT OLM_DEPRECATED
#endif

#endif /* OLM_EXPORT_H */
