/*
 * yamlget.c: a YAML checker for the tests (libyaml). Parses every
 * document of FILE and exits 2 with file:line: problem when one does not
 * parse. With a PATH (keys and sequence indexes separated by '/', e.g.
 * spec/template/spec/containers/0/name), prints the scalar found there in
 * the first document that has it, and exits 1 when none has it.
 *
 *	yamlget FILE [PATH]
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* The node under PATH from node, or NULL. */
static yaml_node_t *
yamlget_walk(yaml_document_t *doc, yaml_node_t *node, char *path)
{
	yaml_node_pair_t *pair;
	yaml_node_t *key;
	char *seg, *stop;
	long i;

	for (seg = strtok(path, "/"); seg != NULL && node != NULL;
	    seg = strtok(NULL, "/")) {
		if (node->type == YAML_SEQUENCE_NODE) {
			i = strtol(seg, &stop, 10);
			if (*stop != '\0' || i < 0 || i >=
			    node->data.sequence.items.top -
			    node->data.sequence.items.start)
				return NULL;
			node = yaml_document_get_node(doc,
			    node->data.sequence.items.start[i]);
			continue;
		}
		if (node->type != YAML_MAPPING_NODE)
			return NULL;
		for (pair = node->data.mapping.pairs.start;
		    pair < node->data.mapping.pairs.top; pair++) {
			key = yaml_document_get_node(doc, pair->key);
			if (key != NULL && key->type == YAML_SCALAR_NODE &&
			    strcmp((char *)key->data.scalar.value, seg) == 0)
				break;
		}
		node = pair < node->data.mapping.pairs.top ?
		    yaml_document_get_node(doc, pair->value) : NULL;
	}
	return node;
}

int
main(int argc, char **argv)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *node;
	char *path;
	int found = 0;
	FILE *fp;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: yamlget FILE [PATH]\n");
		return 64;
	}
	if ((fp = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 66;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s:%zu: %s\n", argv[1],
			    parser.problem_mark.line + 1, parser.problem != NULL ?
			    parser.problem : "syntax error");
			yaml_parser_delete(&parser);
			fclose(fp);
			return 2;
		}
		if ((root = yaml_document_get_root_node(&doc)) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		if (argc == 3 && !found) {
			path = strdup(argv[2]);
			node = yamlget_walk(&doc, root, path);
			free(path);
			if (node != NULL && node->type == YAML_SCALAR_NODE) {
				fwrite(node->data.scalar.value, 1,
				    node->data.scalar.length, stdout);
				if (node->data.scalar.length == 0 ||
				    node->data.scalar.value[
				    node->data.scalar.length - 1] != '\n')
					putchar('\n');
				found = 1;
			}
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return argc == 3 && !found ? 1 : 0;
}
